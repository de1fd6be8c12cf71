import type { Packet } from '../../shared/model/packet-types';
import { evaluateChecklist } from './checklist-local';

export function Checklist({ packet }: { packet: Packet }) {
  const items = evaluateChecklist(packet);
  const met = items.filter((i) => i.met).length;
  return (
    <section className="card checklist" aria-labelledby="checklist-h">
      <h3 id="checklist-h">
        Approval checklist <span className="muted small">{met} of {items.length} met</span>
      </h3>
      <ol className="checklist-items">
        {items.map((i) => (
          <li key={i.key} className={i.met ? 'met' : 'missing-item'} data-item={i.key} data-met={i.met}>
            <span className="check-mark" aria-hidden="true">{i.met ? '✓' : '✕'}</span>
            <span className="check-body">
              <strong>{i.title}</strong> <span className="sr-only">{i.met ? 'met' : 'missing'}</span>
              <span className="check-detail">{i.detail}</span>
              <code className="check-field">{i.field}</code>
            </span>
            <span className={`pill pill-${i.met ? 'pass' : 'fail'}`}>{i.met ? 'met' : 'missing'}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
