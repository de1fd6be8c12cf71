// The Replay tab's body: the step list and the opened step side by side, as tall as the
// window, with a separator that resizes them (drag it, or arrows on it); the width chosen
// is kept on this machine. Below 900 px wide they stack (styles.css).
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, ReactNode, RefObject } from 'react';

const KEY = 'exhibit.replaySplit';
const MIN = 0.3;
const MAX = 0.75;

export function clampSplit(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(MAX, Math.max(MIN, fraction)) : 0.56;
}

function storedSplit(): number {
  try {
    const v = localStorage.getItem(KEY);
    return clampSplit(v === null ? NaN : Number(v));
  } catch {
    return clampSplit(NaN);
  }
}

/** The height of an element as laid out, followed as it changes. */
export function useElementHeight(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [height, setHeight] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight || fallback);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight || fallback));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, fallback]);
  return height;
}

export function ReplaySplit({ left, right, bodyRef }: { left: ReactNode; right: ReactNode; bodyRef: RefObject<HTMLDivElement | null> }) {
  const [fraction, setFraction] = useState(storedSplit);
  const dragging = useRef(false);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, String(fraction));
    } catch {
      // Not kept: the next visit starts at the default.
    }
  }, [fraction]);

  const fromPointer = useCallback(
    (e: PointerEvent<HTMLDivElement>) => {
      const box = bodyRef.current?.getBoundingClientRect();
      if (box && box.width > 0) setFraction(clampSplit((e.clientX - box.left) / box.width));
    },
    [bodyRef],
  );
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowLeft' ? -0.05 : e.key === 'ArrowRight' ? 0.05 : 0;
    if (!step) return;
    e.preventDefault();
    setFraction((f) => clampSplit(f + step));
  };
  return (
    <div
      className="replay-body"
      ref={bodyRef}
      style={{ gridTemplateColumns: `minmax(0, ${fraction}fr) 0.6rem minmax(0, ${1 - fraction}fr)` }}
      data-testid="replay-split"
    >
      {left}
      <div
        className="split-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Width of the step list"
        aria-valuemin={MIN * 100}
        aria-valuemax={MAX * 100}
        aria-valuenow={Math.round(fraction * 100)}
        tabIndex={0}
        onKeyDown={onKey}
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => dragging.current && fromPointer(e)}
        onPointerUp={() => (dragging.current = false)}
      />
      <div className="detail-col">{right}</div>
    </div>
  );
}
