// The sign-off block at the foot of page 1: reviewer, role, date, decision and a signature
// line, filled from the input or left as lines to fill in by hand.

import type { SummaryContext } from './context';
import { INK, MUTED } from './layout';

export function signOffSection({ flow, input, z }: SummaryContext): void {
  const s = input.signoff;
  const size = z(8);
  flow.ensure(64);
  flow.heading('Sign-off', 9);
  // Two rows: reviewer, role, date; then decision and the signature line. Empty lines when
  // no value was given, to be filled in by hand.
  const rows: Array<Array<[string, string | undefined, number]>> = [
    [
      ['Reviewer', s?.reviewer, 0.4],
      ['Role', s?.role, 0.33],
      ['Date', s?.date, 0.27],
    ],
    [
      ['Decision', s?.decision, 0.5],
      ['Signature', undefined, 0.5],
    ],
  ];
  for (const row of rows) {
    flow.y -= z(17);
    let x = flow.left;
    for (const [label, value, share] of row) {
      const w = flow.width * share;
      const labelW = flow.shaper.width(label, 'bold', size) + 6;
      flow.drawLine(label, x, flow.y, 'bold', size, MUTED);
      const lineX = x + labelW;
      const lineEnd = x + w - 12;
      flow.page.drawLine({ start: { x: lineX, y: flow.y - 2 }, end: { x: lineEnd, y: flow.y - 2 }, thickness: 0.5, color: INK });
      if (value)
        flow.drawLine(
          flow.shaper.ellipsize(value, 'regular', size + 0.5, lineEnd - lineX - 4),
          lineX + 2,
          flow.y + 1,
          'regular',
          size + 0.5,
          INK,
        );
      x += w;
    }
  }
  flow.y -= 6;
}
