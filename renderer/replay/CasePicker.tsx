// The case filter as a searchable picker: type part of a case key, pick from the first
// matches (a replay can have thousands of cases; a native select of 8,002 options was
// unusable and heavy). Arrows move, Enter picks, Escape closes.
import { useId, useMemo, useState } from 'react';

/** The picker's value: null = all cases, '' = run level, else a case key. */
export type CaseChoice = string | null;

const SHOWN = 50;

/** The case keys containing `query` (case-insensitive), the first `limit` of them, and how many matched. */
export function matchCases(cases: readonly string[], query: string, limit = SHOWN): { shown: string[]; total: number } {
  const q = query.trim().toLowerCase();
  const shown: string[] = [];
  let total = 0;
  for (const c of cases) {
    if (q && !c.toLowerCase().includes(q)) continue;
    total++;
    if (shown.length < limit) shown.push(c);
  }
  return { shown, total };
}

function choiceLabel(v: CaseChoice): string {
  return v === null ? 'all cases' : v === '' ? 'run level' : v;
}

export function CasePicker(props: {
  cases: readonly string[];
  hasRunLevel: boolean;
  value: CaseChoice;
  onChange: (v: CaseChoice) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const open = query !== null;
  const { shown, total } = useMemo(() => matchCases(props.cases, query ?? ''), [props.cases, query]);
  const options: CaseChoice[] = [...(query ? [] : [null, ...(props.hasRunLevel ? [''] : [])]), ...shown];
  const pick = (v: CaseChoice) => {
    props.onChange(v);
    setQuery(null);
  };
  return (
    <div className="case-picker">
      <label htmlFor={`${id}-in`}>Case</label>
      <input
        id={`${id}-in`}
        role="combobox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={open && options.length ? `${id}-o${active}` : undefined}
        value={open ? query : choiceLabel(props.value)}
        placeholder="type to find a case"
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onBlur={() => setQuery(null)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => (open ? Math.min(options.length - 1, a + 1) : 0));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (e.key === 'Enter' && open && options.length) pick(options[active]!);
          else if (e.key === 'Escape') setQuery(null);
          else return;
          if (!open && e.key === 'ArrowDown') setQuery('');
          e.preventDefault();
        }}
        data-testid="filter-case"
      />
      {open ? (
        <ul id={`${id}-list`} role="listbox" aria-label="Cases" className="case-options" data-testid="case-options">
          {options.map((o, i) => (
            <li
              key={o ?? '*'}
              id={`${id}-o${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
            >
              {choiceLabel(o)}
            </li>
          ))}
          {total > shown.length ? (
            <li role="presentation" className="muted small">
              {total - shown.length} more: type more of the case key
            </li>
          ) : null}
          {options.length === 0 ? (
            <li role="presentation" className="muted small">
              No case contains “{query}”
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
