// What every section of the gate summary draws with: the input, the flow it writes into,
// the view models read by more than one section, and the density of this rendering pass.

import type { PDFDocument } from 'pdf-lib';
import type { Packet } from '../model/packet-types';
import type { BundleStatus, VerificationReport } from '../evb/report';
import type { ReplayObservations } from '../model/observations';
import type { EngineeringSlice, OverviewModel } from '../model/slices-types';
import type { AgentNames } from '../model/agent-names';
import type { GateSummaryInput } from './input';
import type { Flow } from './layout';

/** The statuses a summary is made for: a malformed bundle gets none. */
export type SummaryStatus = Exclude<BundleStatus, 'malformed'>;

export interface SummaryContext {
  readonly input: GateSummaryInput;
  readonly packet: Packet;
  readonly report: VerificationReport;
  readonly status: SummaryStatus;
  readonly doc: PDFDocument;
  readonly flow: Flow;
  /** Built once per summary: page 1 and the following pages read the same models. */
  readonly overview: OverviewModel;
  readonly engineering: EngineeringSlice;
  readonly observations: ReplayObservations | null;
  /** What the UI calls each run agent, for replay references ("candidate · step 69"). */
  readonly names: AgentNames;
  /** A font size at this pass's density (page 1 is set denser until it fits). */
  z(size: number): number;
  /** A line budget at this pass's density. */
  ml(lines: number): number;
}

/** One section of the document: draws itself at the flow's cursor. */
export type Section = (c: SummaryContext) => void;
