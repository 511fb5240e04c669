import type { Auth } from "firebase-admin/auth";

export const functionsDir: string;
export const secretFile: string;
export function readLocalSecret(name: string): string | undefined;
export function localParams(project: string): Record<string, string>;
export function createSignedInUser(
  auth: Auth,
  authHost: string,
  prefix?: string,
): Promise<{ uid: string; idToken: () => Promise<string> }>;
export function localAppCheckToken(appId?: string): string;
