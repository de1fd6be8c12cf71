// The scroll position of an element as React state, updated from passive scroll events,
// for the virtualized lists. The setter is there for a list that scrolls itself.
import { useEffect, useState } from 'react';
import type { RefObject } from 'react';

export function useScrollTop(ref: RefObject<HTMLElement | null>): [number, (top: number) => void] {
  const [top, setTop] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => setTop(el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [ref]);
  return [top, setTop];
}
