// A fixed-row-height virtualized list: only the rows in view (plus a margin) are in the
// DOM, so a 10,000-file bundle scrolls smoothly. Heights are set through React's style
// prop (CSSOM), which a strict style-src allows.
import { useRef } from 'react';
import type { ReactNode } from 'react';
import { useScrollTop } from './useScrollTop';

export function VirtualList<T>({
  items,
  rowHeight,
  height,
  render,
  label,
  header,
}: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  render: (item: T, index: number) => ReactNode;
  label: string;
  header?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [top] = useScrollTop(ref);
  const viewport = Math.min(height, Math.max(rowHeight, items.length * rowHeight));
  const first = Math.max(0, Math.floor(top / rowHeight) - 10);
  const last = Math.min(items.length, Math.ceil((top + viewport) / rowHeight) + 10);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(render(items[i]!, i));
  return (
    <div className="vlist" role="table" aria-label={label} aria-rowcount={items.length + 1}>
      {header}
      <div
        className="vlist-scroll"
        ref={ref}
        style={{ height: viewport }}
        tabIndex={0}
        role="rowgroup"
        aria-label={`${label}, ${items.length} rows`}
      >
        <div className="vlist-inner" style={{ height: items.length * rowHeight }}>
          <div className="vlist-window" style={{ transform: `translateY(${first * rowHeight}px)` }}>
            {rows}
          </div>
        </div>
      </div>
    </div>
  );
}
