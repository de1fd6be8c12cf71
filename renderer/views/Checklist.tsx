import type { ChecklistItem } from '../../shared/model/slices-types';

export function Checklist({ items }: { items: ChecklistItem[] }) {
  const met = items.filter((i) => i.state === 'met').length;
  return (
    <section className="card checklist" aria-labelledby="checklist-h">
      <h3 id="checklist-h">
        Approval checklist{' '}
        <span className="muted small">
          {met} of {items.length} met
        </span>
      </h3>
      <ol className="checklist-items" data-testid="checklist">
        {items.map((i) => (
          <li key={i.key} className={i.state === 'met' ? 'met' : 'missing-item'} data-item={i.key} data-state={i.state}>
            <span className="check-mark" aria-hidden="true">
              {i.state === 'met' ? '✓' : '✕'}
            </span>
            <span className="check-body">
              <strong>{i.title}</strong>
              <span className="check-detail">{i.detail}</span>
              <details className="check-fields">
                <summary>Packet fields</summary>
                <code className="check-field">{i.fields.join(', ')}</code>
              </details>
            </span>
            <span className={`pill pill-${i.state === 'met' ? 'pass' : 'fail'}`}>{i.state === 'met' ? 'met' : 'missing'}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
