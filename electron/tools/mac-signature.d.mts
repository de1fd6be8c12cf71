// Types of mac-signature.mjs (plain JavaScript, because electron-builder loads the hook
// without a TypeScript step), for the unit test.
export type CommandResult = { status: number | null; output: string };
export type SignatureDetails = {
  kind: 'adhoc' | 'developer-id' | 'other';
  authority: string | null;
  team: string | null;
  runtime: boolean;
};
export function notarizationConfigured(env: Record<string, string | undefined>): boolean;
export function parseSignatureDetails(text: string): SignatureDetails;
export function judgeMacApp(r: {
  app: string;
  verify: CommandResult;
  display: CommandResult;
  staple: CommandResult | null;
  env: Record<string, string | undefined>;
}): { ok: true; note: string } | { ok: false; error: string };
export function builtMacApps(
  outDir: string,
  productFilename: string,
  fs: { readdir(p: string): string[]; exists(p: string): boolean },
): string[];
export default function afterAllArtifactBuild(result: {
  outDir: string;
  platformToTargets: Map<{ nodeName: string }, unknown>;
  configuration: { productName?: string };
}): Promise<string[]>;
