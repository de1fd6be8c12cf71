// The part of jszip's API that writer.ts uses, for tsconfig.shared.json only: jszip's own
// types reference Node's (`/// <reference types="node" />`), which would let Node globals
// into the pure core's check. tsconfig.json checks writer.ts against jszip's real types.

declare class JSZip {
  file(
    name: string,
    data: Uint8Array,
    options?: {
      binary?: boolean;
      date?: Date;
      createFolders?: boolean;
      compression?: 'STORE' | 'DEFLATE';
      unixPermissions?: number | null;
      dosPermissions?: number | null;
    },
  ): this;
  generateAsync(options: {
    type: 'uint8array';
    compression?: 'STORE' | 'DEFLATE';
    compressionOptions?: { level: number };
    platform?: 'DOS' | 'UNIX';
  }): Promise<Uint8Array>;
}
export default JSZip;
