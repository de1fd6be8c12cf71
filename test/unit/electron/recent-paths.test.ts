import { describe, expect, it } from 'vitest';
import { MAX_RECENT_PATHS, createRecentPaths, parseRecentPaths } from '../../../electron/recent-paths';

function store(initial: string | null = null) {
  const saved: string[] = [];
  let n = 0;
  const recent = createRecentPaths({
    load: async () => initial,
    save: async (text) => void saved.push(text),
    newToken: () => `t${++n}`,
    now: () => `2026-12-02T08:00:0${n}Z`,
  });
  return { recent, saved, last: () => JSON.parse(saved.at(-1)!) };
}

describe('main recent paths', () => {
  it('one token per path, kept across reopen; the newest first, saved after each change', async () => {
    const { recent, last } = store();
    const a = await recent.remember('/cases/a.evb');
    const b = await recent.remember('/cases/b.evb');
    expect(await recent.remember('/cases/a.evb')).toBe(a);
    expect(a).not.toBe(b);
    expect(last().entries.map((e: { path: string }) => e.path)).toEqual(['/cases/a.evb', '/cases/b.evb']);
    expect(await recent.pathOf(b)).toBe('/cases/b.evb');
    expect(await recent.pathOf('t99')).toBeNull();
  });

  it('a later start reads the saved list back', async () => {
    const first = store();
    const token = await first.recent.remember('/cases/a.evb');
    const second = store(first.saved.at(-1)!);
    expect(await second.recent.pathOf(token)).toBe('/cases/a.evb');
  });

  it(`keeps the ${MAX_RECENT_PATHS} newest; the oldest token stops working`, async () => {
    const { recent, last } = store();
    const first = await recent.remember('/cases/0.evb');
    for (let i = 1; i <= MAX_RECENT_PATHS; i++) await recent.remember(`/cases/${i}.evb`);
    expect(last().entries).toHaveLength(MAX_RECENT_PATHS);
    expect(await recent.pathOf(first)).toBeNull();
  });

  it('reads a damaged or hand-edited file as untrusted: bad entries dropped, never a crash', () => {
    expect(parseRecentPaths('{not json')).toEqual([]);
    expect(parseRecentPaths('null')).toEqual([]);
    expect(parseRecentPaths(JSON.stringify({ version: 2, entries: [] }))).toEqual([]);
    const good = { token: 'ok1', path: '/cases/a.evb', openedAt: 'x' };
    const text = JSON.stringify({
      version: 1,
      entries: [good, { token: '../x', path: '/b.evb', openedAt: 'x' }, { token: 'ok2', path: 'a\0b', openedAt: 'x' }, 7, null],
    });
    expect(parseRecentPaths(text)).toEqual([good]);
  });

  it('a token that is not one main could have issued is not looked up', async () => {
    const { recent } = store(JSON.stringify({ version: 1, entries: [{ token: 'ok1', path: '/cases/a.evb', openedAt: 'x' }] }));
    expect(await recent.pathOf('ok1')).toBe('/cases/a.evb');
    expect(await recent.pathOf('/cases/a.evb')).toBeNull();
  });
});
