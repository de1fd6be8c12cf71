// The one function of pako 1.0 (jszip's inflater, hoisted into node_modules) the levers use.
declare module 'pako' {
  const pako: { inflateRaw(data: Uint8Array): Uint8Array };
  export default pako;
}
