// The reviewer notes on replay steps, oldest first, in the PDF.

import type { SummaryContext } from './context';
import type { ReviewerNote } from './input';
import { MUTED } from './layout';
import { stepName } from '../model/agent-names';

/** By time, then run agent, then sequence number: the same notes give the same order. */
function byTimeThenStep(a: ReviewerNote, b: ReviewerNote): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.runAgentId !== b.runAgentId) return a.runAgentId < b.runAgentId ? -1 : 1;
  return a.sequence - b.sequence;
}

/** A note's author: its own, else the reviewer named in the sign-off (the notes are the reviewer's own), else unnamed. */
function authorOf(n: ReviewerNote, reviewer: string | undefined): string {
  return n.author || reviewer || 'unnamed';
}

export function notesSection({ flow, input, names }: SummaryContext): void {
  const reviewer = input.signoff?.reviewer?.trim();
  flow.heading('Reviewer notes');
  const notes = [...(input.notes ?? [])].sort(byTimeThenStep);
  if (notes.length === 0) {
    flow.text('No reviewer notes.', { size: 8, color: MUTED });
    return;
  }
  flow.table(
    [
      { title: 'Step', share: 2 },
      { title: 'Author, time', share: 2 },
      { title: 'Note', share: 6 },
    ],
    notes.map((n) => [
      { text: stepName(names, n.runAgentId, n.sequence) },
      { text: `${authorOf(n, reviewer)}, ${n.createdAt}` },
      { text: n.text },
    ]),
    { size: 7.5, maxLines: 20 },
  );
}
