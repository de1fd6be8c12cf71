// A binary asset imported with Vite's `?inline`: a base64 data: URL of the file, built into
// the importing chunk (no request at run time, so nothing for a CSP's connect-src to allow).
declare module '*.wasm?inline' {
  const dataUrl: string;
  export default dataUrl;
}
