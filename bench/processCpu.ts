import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of a process tree and of the whole machine at one moment (Linux /proc; empty elsewhere). */
export interface CpuSnapshot {
  /** CPU seconds used so far by each live process of the tree, by pid, with its command name. */
  readonly processes: ReadonlyMap<number, { readonly command: string; readonly seconds: number }>;
  /** The bench process's own CPU seconds (the load generator). */
  readonly generatorSeconds: number;
  /** All CPUs' busy and total seconds (/proc/stat), for the machine's utilization over a phase. */
  readonly machine: { readonly busy: number; readonly total: number };
}

// Linux reports process times in clock ticks; USER_HZ is 100 on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

function readStat(pid: number): { ppid: number; command: string; seconds: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command sits in parentheses and may hold spaces: the fields after its last ')' are fixed.
    const close = text.lastIndexOf(')');
    const command = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // After the command: state(0) ppid(1) ... utime(11) stime(12).
    return { ppid: Number(fields[1]), command, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU seconds of `rootPid` and all its descendants (the server, its DynamoDB Local), of this process, and of the machine. */
export function cpuSnapshot(rootPid: number): CpuSnapshot {
  const processes = new Map<number, { command: string; seconds: number }>();
  let machine = { busy: 0, total: 0 };
  try {
    const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
    const stats = new Map(all.map((pid) => [pid, readStat(pid)] as const));
    const inTree = (pid: number): boolean => {
      for (let p: number | undefined = pid, hops = 0; p && hops < 64; p = stats.get(p)?.ppid, hops++) if (p === rootPid) return true;
      return false;
    };
    for (const [pid, s] of stats) if (s && inTree(pid)) processes.set(pid, { command: s.command, seconds: s.seconds });
    // cpu  user nice system idle iowait irq softirq steal ...
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
    machine = { busy: total - (cpu[3] + cpu[4]) / TICKS_PER_SECOND, total };
  } catch {
    // Not Linux: no figures, the scenario reports none.
  }
  const own = process.cpuUsage();
  return { processes, generatorSeconds: (own.user + own.system) / 1e6, machine };
}

/** CPU used between two snapshots, split into the server's Node process(es), DynamoDB Local (java) and the generator. */
export interface CpuUse {
  readonly serverSeconds: number;
  readonly dynamodbLocalSeconds: number;
  readonly generatorSeconds: number;
  /** Share of all CPUs busy over the interval, any process (1 = every core busy). */
  readonly machineBusy: number;
}

/** What the tree and the generator used from `before` to `after` (processes that ended in between are not counted). */
export function cpuUse(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  let server = 0;
  let java = 0;
  for (const [pid, p] of after.processes) {
    const used = p.seconds - (before.processes.get(pid)?.seconds ?? 0);
    if (p.command === 'java') java += used;
    else if (p.command.startsWith('node')) server += used;
  }
  const r = (n: number) => Math.round(n * 100) / 100;
  const total = after.machine.total - before.machine.total;
  return {
    serverSeconds: r(server),
    dynamodbLocalSeconds: r(java),
    generatorSeconds: r(after.generatorSeconds - before.generatorSeconds),
    machineBusy: total > 0 ? r((after.machine.busy - before.machine.busy) / total) : 0,
  };
}
