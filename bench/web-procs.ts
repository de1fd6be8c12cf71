// Memory of the Chromium processes a bench launched, from /proc (Linux): Chromium is a child
// of the bench's Node process (playwright-core launches it), so its processes are found by
// walking down from process.pid; each is typed by its --type= flag ("browser" for the main
// one). A page's dedicated workers are threads of its renderer process.
import { readFileSync, readdirSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  type: string;
}

/** Every descendant of this Node process. */
export function descendants(): Proc[] {
  const all: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? (cmd.includes('chromium') ? 'browser' : 'other');
      all.push({ pid: Number(d), ppid, type });
    } catch {
      // exited meanwhile
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all)
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => mine.has(p.pid) && p.pid !== process.pid);
}

/** VmRSS (now) or VmHWM (peak so far) of a process, in kB; 0 once it has gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The largest renderer's VmRSS or VmHWM in MB: the page's own (a spare renderer stays small). */
export function pageRendererMb(field: 'VmRSS' | 'VmHWM'): number {
  const kb = descendants()
    .filter((p) => p.type === 'renderer')
    .map((p) => statusKb(p.pid, field));
  return Math.max(0, ...kb) / 1024;
}
