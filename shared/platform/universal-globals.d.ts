// The globals the pure core may use: the part of the web platform that Node 20, browsers and
// their workers all have (the WinterCG minimum common API), declared as far as the core uses
// it. tsconfig.shared.json compiles shared/ (outside its host ports) with these and no DOM
// or Node types, so a `document`, a `process` or a `Buffer` there fails to compile. The full
// tsconfig.json, which has DOM and Node types, does not include this file.

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecodeOptions {
  stream?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: TextDecodeOptions): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare const AbortSignal: {
  prototype: AbortSignal;
  abort(reason?: unknown): AbortSignal;
  any(signals: AbortSignal[]): AbortSignal;
  timeout(milliseconds: number): AbortSignal;
};
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare function atob(data: string): string;
declare function btoa(data: string): string;

declare class URL {
  constructor(url: string, base?: string | URL);
  href: string;
  protocol: string;
  host: string;
  hostname: string;
  pathname: string;
  search: string;
  hash: string;
  toString(): string;
}

// WebCrypto, as far as keys.ts, sigstore/crypto.ts and the platform's digests use it.
type AlgorithmIdentifier = { name: string } | string;
interface EcKeyImportParams {
  name: string;
  namedCurve: string;
}
/** RSASSA-PKCS1-v1_5 keys (Sigstore trusted roots may hold them). */
interface RsaHashedImportParams {
  name: string;
  hash: AlgorithmIdentifier;
}
interface EcKeyGenParams {
  name: string;
  namedCurve: string;
}
interface EcdsaParams {
  name: string;
  hash: AlgorithmIdentifier;
}
type KeyUsage = 'sign' | 'verify' | 'encrypt' | 'decrypt' | 'deriveKey' | 'deriveBits' | 'wrapKey' | 'unwrapKey';
type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer;
interface CryptoKey {
  readonly algorithm: { name: string };
  readonly extractable: boolean;
  readonly type: 'public' | 'private' | 'secret';
  readonly usages: KeyUsage[];
}
interface CryptoKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}
interface JsonWebKey {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  key_ops?: string[];
  ext?: boolean;
  alg?: string;
}
interface SubtleCrypto {
  digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer>;
  importKey(
    format: 'jwk',
    keyData: JsonWebKey,
    algorithm: AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams,
    extractable: boolean,
    keyUsages: KeyUsage[],
  ): Promise<CryptoKey>;
  importKey(
    format: 'spki' | 'pkcs8' | 'raw',
    keyData: BufferSource,
    algorithm: AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams,
    extractable: boolean,
    keyUsages: KeyUsage[],
  ): Promise<CryptoKey>;
  exportKey(format: 'jwk', key: CryptoKey): Promise<JsonWebKey>;
  exportKey(format: 'spki' | 'pkcs8' | 'raw', key: CryptoKey): Promise<ArrayBuffer>;
  generateKey(
    algorithm: AlgorithmIdentifier | EcKeyGenParams,
    extractable: boolean,
    keyUsages: KeyUsage[],
  ): Promise<CryptoKeyPair | CryptoKey>;
  sign(algorithm: AlgorithmIdentifier | EcdsaParams, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>;
  verify(algorithm: AlgorithmIdentifier | EcdsaParams, key: CryptoKey, signature: BufferSource, data: BufferSource): Promise<boolean>;
}
interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  randomUUID(): string;
}
declare const crypto: Crypto;
