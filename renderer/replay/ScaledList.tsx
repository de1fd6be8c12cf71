// A virtualized list for any number of fixed-height rows. Only the rows in view are in the
// DOM; above MAX_INNER pixels the scroll range is scaled (a browser cannot make an element
// a million rows tall), and the rows in view are placed relative to the scroll position.
import { useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useScrollTop } from '../components/useScrollTop';

/** Tallest inner element used; Chromium's limit is about 33 million pixels. */
const MAX_INNER = 8_000_000;
const OVERSCAN = 8;

export interface ScrollRequest {
  index: number;
  /** A new token scrolls again even to the same index. */
  token: number;
}

export function ScaledList({
  count,
  rowHeight,
  height,
  renderRow,
  label,
  scrollTo,
  onKeyDown,
  activeDescendant,
  testId,
  role = 'listbox',
}: {
  count: number;
  rowHeight: number;
  height: number;
  renderRow: (index: number) => ReactNode;
  label: string;
  scrollTo?: ScrollRequest | null;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  activeDescendant?: string;
  testId?: string;
  /** 'listbox' when rows are options picked with the keyboard; 'list' when rows hold their own buttons. */
  role?: 'listbox' | 'list';
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useScrollTop(ref);
  const total = count * rowHeight;
  const scaled = total > MAX_INNER;
  const inner = Math.min(total, MAX_INNER);
  const viewport = Math.max(rowHeight, Math.min(height, Math.max(total, rowHeight)));
  const maxScroll = Math.max(0, inner - viewport);
  const visibleRows = viewport / rowHeight;
  const scrollRows = Math.max(0, count - visibleRows);

  const firstFloat = scaled ? (maxScroll > 0 ? (Math.min(top, maxScroll) / maxScroll) * scrollRows : 0) : top / rowHeight;
  const first = Math.max(0, Math.floor(firstFloat) - OVERSCAN);
  const last = Math.min(count, Math.ceil(firstFloat + visibleRows) + OVERSCAN);
  const offset = scaled ? top - (firstFloat - first) * rowHeight : first * rowHeight;

  // Keep the scroll position inside the range when the row count shrinks (a filter).
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && el.scrollTop > maxScroll) {
      el.scrollTop = maxScroll;
      setTop(maxScroll);
    }
  }, [maxScroll, setTop]);

  // Each scroll request is carried out once (its token), not again when the rows change.
  const scrolled = useRef<ScrollRequest | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !scrollTo || scrollTo === scrolled.current || scrollTo.index < 0 || scrollTo.index >= count) return;
    scrolled.current = scrollTo;
    const i = scrollTo.index;
    const current = scaled ? (maxScroll > 0 ? (el.scrollTop / maxScroll) * scrollRows : 0) : el.scrollTop / rowHeight;
    if (i >= Math.ceil(current) && i + 1 <= Math.floor(current + visibleRows)) return;
    const wantRow = Math.max(0, i - Math.floor(visibleRows / 3));
    const target = scaled ? (scrollRows > 0 ? (Math.min(wantRow, scrollRows) / scrollRows) * maxScroll : 0) : wantRow * rowHeight;
    el.scrollTop = target;
    setTop(el.scrollTop);
  }, [scrollTo, count, scaled, maxScroll, scrollRows, rowHeight, visibleRows, setTop]);

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));
  return (
    <div
      className="slist"
      ref={ref}
      style={{ height: viewport }}
      tabIndex={0}
      role={role}
      aria-label={label}
      aria-activedescendant={activeDescendant}
      onKeyDown={onKeyDown}
      data-testid={testId}
      data-first-row={first}
    >
      <div className="slist-inner" style={{ height: inner }}>
        <div className="slist-window" style={{ transform: `translateY(${offset}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
