import { describe, expect, it } from 'vitest';
import { MAX_RENDERER_RELOADS, createCrashRecovery } from '../../../electron/crash-recovery';
import type { CrashRecoveryActions } from '../../../electron/crash-recovery';

function recorder(closing = false) {
  const log: string[] = [];
  const actions: CrashRecoveryActions = {
    detachQueue: () => log.push('detach'),
    reload: () => log.push('reload'),
    notify: (n) => log.push(`notify ${n.message}`),
    giveUp: (n) => log.push(`give-up ${n.message}`),
    isClosing: () => closing,
  };
  return { log, actions };
}

const crashed = { reason: 'crashed' as const, exitCode: 139 };

describe('renderer crash recovery', () => {
  it('detaches the open-request queue first, reloads, and tells the user', () => {
    const { log, actions } = recorder();
    expect(createCrashRecovery(actions)(crashed)).toBe('reloaded');
    expect(log[0]).toBe('detach');
    expect(log[1]).toBe('reload');
    expect(log[2]).toMatch(/^notify .*stopped unexpectedly \(reason: crashed, exit code 139\).*opened again/);
  });

  it('gives up after the retry limit, saying how often it reloaded', () => {
    const { log, actions } = recorder();
    const recover = createCrashRecovery(actions);
    for (let i = 0; i < MAX_RENDERER_RELOADS; i++) expect(recover({ reason: 'oom', exitCode: 0 })).toBe('reloaded');
    expect(recover({ reason: 'oom', exitCode: 0 })).toBe('gave-up');
    expect(log.filter((l) => l === 'reload')).toHaveLength(MAX_RENDERER_RELOADS);
    expect(log.at(-1)).toMatch(/^give-up .*reloaded 3 times.*will close/);
    expect(log.at(-2)).toBe('detach');
  });

  it('each handler counts its own window', () => {
    const a = recorder();
    const b = recorder();
    const ra = createCrashRecovery(a.actions, 1);
    const rb = createCrashRecovery(b.actions, 1);
    expect(ra(crashed)).toBe('reloaded');
    expect(rb(crashed)).toBe('reloaded');
    expect(ra(crashed)).toBe('gave-up');
  });

  it('a code-integrity failure is not retried', () => {
    const { log, actions } = recorder();
    expect(createCrashRecovery(actions)({ reason: 'integrity-failure', exitCode: -1 })).toBe('gave-up');
    expect(log).not.toContain('reload');
  });

  it('a window already closing is left alone (the queue still detached)', () => {
    const { log, actions } = recorder(true);
    expect(createCrashRecovery(actions)(crashed)).toBe('ignored');
    expect(log).toEqual(['detach']);
  });
});
