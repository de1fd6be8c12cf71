// The tabs over an opened bundle: the tab list (arrow keys, Home and End move between tabs),
// the status label every panel carries, and the panel of the chosen tab. A malformed bundle
// has only its Integrity tab; a bundle whose packet is not shown says why on every other tab.
import { useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { BundleHandle, HostApi } from '../../shared/ipc/host-api';
import type { VerificationReport } from '../../shared/evb/report';
import type { OpenedModel } from '../../shared/model/open-bundle';
import type { ReplayObservations } from '../../shared/model/observations';
import type { ExhibitDb } from '../db';
import { ContentLabel } from '../components/StatusBadge';
import { AgentNamesContext } from '../components/common';
import { agentNames } from '../../shared/model/agent-names';
import { Overview } from '../views/Overview';
import { Security } from '../views/Security';
import { Compliance } from '../views/Compliance';
import { Engineering } from '../views/Engineering';
import { Finance } from '../views/Finance';
import { Findings, Integrity } from '../views/Integrity';
import type { TrustRequest } from '../views/Integrity';
import { ReplayTab } from '../replay/ReplayTab';
import type { ReplaySession } from '../replay/session';
import type { StepId, StepRequest } from '../replay/format';

export const TABS = ['Overview', 'Security', 'Compliance', 'Engineering', 'Finance', 'Integrity', 'Replay'] as const;
export type Tab = (typeof TABS)[number];

interface TabFrameProps {
  tab: Tab;
  onTab: (tab: Tab) => void;
  host: HostApi;
  db: ExhibitDb;
  handle: BundleHandle;
  report: VerificationReport;
  model: OpenedModel;
  session: ReplaySession | null;
  observations: ReplayObservations | null;
  step: StepRequest | null;
  onOpenStep: (step: StepId) => void;
  onStepShown: (step: StepId) => void;
  onTrust: (r: TrustRequest) => void;
}

export function TabFrame(props: TabFrameProps) {
  const { tab, onTab, report } = props;
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const visibleTabs = report.status === 'malformed' ? (['Integrity'] as const) : TABS;
  const names = useMemo(() => agentNames(props.model.ok ? props.model.packet.agents : []), [props.model]);

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next >= 0) {
      e.preventDefault();
      onTab(TABS[next]!);
      tabRefs.current[next]?.focus();
    }
  };

  return (
    <>
      <div className="tabs" role="tablist" aria-label="Views of the bundle">
        {visibleTabs.map((t, i) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            role="tab"
            type="button"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => onTab(t)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel" tabIndex={0}>
        {/* The tab's own heading, so its cards' h3 headings follow an h2 (axe heading-order). */}
        <h2 className="sr-only">{tab}</h2>
        <ContentLabel status={report.status} />
        <AgentNamesContext.Provider value={names}>
          <TabBody {...props} />
        </AgentNamesContext.Provider>
      </div>
    </>
  );
}

function TabBody({ tab, host, db, report, model, session, observations, step, onOpenStep, onStepShown, onTrust }: TabFrameProps) {
  if (report.status === 'malformed') {
    return (
      <div className="view">
        <Findings report={report} />
      </div>
    );
  }
  if (tab === 'Integrity') return <Integrity report={report} onTrust={onTrust} />;
  if (!model.ok) {
    return (
      <div className="view">
        <p className="error" role="alert">
          {model.message}
        </p>
        <Findings report={report} />
      </div>
    );
  }
  const openStep = (runAgentId: string, sequence: number) => onOpenStep({ runAgentId, sequence });
  const props = { packet: model.packet, packetBytes: model.packetBytes, report, host, db, onOpenStep: openStep, observations };
  switch (tab) {
    case 'Overview':
      return <Overview {...props} />;
    case 'Security':
      return <Security {...props} />;
    case 'Compliance':
      return <Compliance {...props} />;
    case 'Engineering':
      return <Engineering {...props} />;
    case 'Finance':
      return <Finance {...props} />;
    case 'Replay':
      return session ? (
        <ReplayTab
          session={session}
          packet={model.packet}
          db={db}
          bundleSha256={report.fileSha256 ?? null}
          step={step}
          onStepShown={onStepShown}
        />
      ) : null;
  }
}
