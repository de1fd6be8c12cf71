// The stakeholder slices of an approval packet: overview, security, compliance, engineering
// and finance. Pure functions of (packet, replay observations, verification report); what
// they return is plain JSON the UI and the PDF render as it is. Missing data stays missing:
// null, or a Maybe with the reason, never 0 and never an empty list standing for "unknown".
// Each slice is built in its own module (slices-overview, -security, -compliance,
// -engineering, -finance) on the helpers in slices-common; this module is the one import
// path the UI, the PDF and the CLI use.

export { buildOverview } from './slices-overview';
export { buildSecuritySlice } from './slices-security';
export { buildComplianceSlice } from './slices-compliance';
export { buildEngineeringSlice } from './slices-engineering';
export { buildFinanceSlice } from './slices-finance';
export { checkTierSupport } from './slices-common';
