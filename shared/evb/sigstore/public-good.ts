// The Sigstore public-good instance's trusted root, shipped with Exhibit as the default
// (spec 5.1). Source and date: public-good-trusted-root.md beside this file.

import json from './public-good-trusted-root.json';
import type { TrustedRoot } from './trusted-root';
import { parseTrustedRoot } from './trusted-root';

let cached: TrustedRoot | null = null;

export function publicGoodTrustedRoot(): TrustedRoot {
  cached ??= parseTrustedRoot(json, 'Sigstore public-good trusted root (built in)');
  return cached;
}
