export interface Found {
  path?: string;
  from?: string;
  tried?: string[];
}
export function findChromium(options?: {
  env?: Record<string, string | undefined>;
  platform?: string;
  playwrightPath?: string | undefined;
  exists?: (path: string) => boolean;
}): Found;
export function setupSteps(options: {
  platform: string;
  osRelease: string;
  isRoot: boolean;
}): { what: string; command: string; args: string[] }[];
export function advice(platform: string, osRelease: string): string;
export function ensureChromium(options?: object): string;
export function chromiumPath(): string;
