// How a keyless check fails (spec 5.1): the step, and whether the signature is not
// checkable (an authority the trusted root does not know) or does not hold (tampered).

/** The 5.1 step a finding names. */
export type KeylessStep = 'bundle' | 'certificate-chain' | 'sct' | 'tlog' | 'signing-time' | 'signature' | 'identity';

/** The finding codes of keyless signature files: a failed 5.1 step names itself. */
export type KeylessFindingCode = `keyless-${KeylessStep}` | 'keyless-unknown-authority' | 'sigstore-bundle-invalid' | 'sigstore-content';

/**
 * `unknown-authority`: a CA, log or timestamp authority the trusted root does not know
 * (not checkable, at best untrusted-signer). `broken`: a chain, proof, timestamp or
 * signature that does not hold (tampered). `malformed`: the bundle cannot be read.
 */
export type KeylessFailure = 'unknown-authority' | 'broken' | 'malformed';

export class KeylessError extends Error {
  constructor(
    readonly step: KeylessStep,
    readonly failure: KeylessFailure,
    message: string,
  ) {
    super(message);
    this.name = 'KeylessError';
  }
}

export const broken = (step: KeylessStep, message: string) => new KeylessError(step, 'broken', message);
export const unknownAuthority = (step: KeylessStep, message: string) => new KeylessError(step, 'unknown-authority', message);
