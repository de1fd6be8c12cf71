// A link to a replay step opened before its bundle: says which step it waits for.
import type { StepId } from './format';

export function WaitingLink({ link }: { link: StepId }) {
  return (
    <p className="notice" role="status" data-testid="waiting-link">
      This link opens step {link.sequence} of run agent <span className="mono">{link.runAgentId}</span>: it is waiting for its bundle. Open
      the bundle to go to the step.
    </p>
  );
}
