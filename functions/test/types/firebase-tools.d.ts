// The part of firebase-tools' deploy code that the deploy-archive test runs; the package ships
// no type declarations for its internals.
declare module "firebase-tools/lib/deploy/functions/prepareFunctionsUpload" {
  /** Zips `sourceDir` as `firebase deploy` uploads it, honouring `config.ignore`. */
  export function prepareFunctionsUpload(
    projectDir: string,
    sourceDir: string,
    config: { ignore?: string[] },
    additionalSources: string[],
  ): Promise<{ pathToSource: string; hash: string }>;
}
