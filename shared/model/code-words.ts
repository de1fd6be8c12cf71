// Words for the codes packets carry (reason codes, automatic-fail condition keys, evidence
// tiers), so no face shows `auto_fail_condition_triggered` as its only text (issue 18
// point 4); the code stays beside the words as secondary text. Unknown codes read as their
// words. Pure.

const CODE_WORDS: Record<string, string> = {
  auto_fail_condition_triggered: 'An automatic-fail condition was triggered',
  egress_outside_allowlist: 'Network access outside the allowlist',
  secret_leak: 'Secret leaked',
  'auto fail:policy violation': 'Automatic fail: policy violation',
};

/** A code as words: "egress_outside_allowlist" -> "Network access outside the allowlist". */
export function codeWords(code: string): string {
  const known = CODE_WORDS[code];
  if (known) return known;
  const words = code
    .replace(/[_-]+/g, ' ')
    .replace(/\s*:\s*/g, ': ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Words, with the code after them in parentheses when it differs from the words. */
export function codeWithWords(code: string): string {
  const words = codeWords(code);
  return words.toLowerCase() === code.replace(/[_-]+/g, ' ').toLowerCase() ? words : `${words} (${code})`;
}
