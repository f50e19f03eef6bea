/**
 * CPU time spent by this process and by the local PostgreSQL server's processes over a phase. On 2
 * cores, their sum over the wall time says how much of a phase is work and how much is waiting, and
 * which side does the work. PostgreSQL's share is read from /proc (Linux, server on this machine); a
 * backend that exits during the phase takes its time with it, so the figure is a lower bound.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU ticks of each PostgreSQL process now, by pid; null when /proc cannot be read. */
function postgresTicks(): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const ticks = new Map<string, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone since the listing
    }
    const close = stat.lastIndexOf(")");
    if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
    // fields after the command: state is field 3; utime and stime are fields 14 and 15
    const fields = stat.slice(close + 2).split(" ");
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

export type CpuSpent = { node: number; postgres: number | null };

/** Starts measuring; the function returned answers the CPU seconds spent since. */
export function startCpuMeter(): () => CpuSpent {
  const node0 = process.cpuUsage();
  const pg0 = postgresTicks();
  return () => {
    const node = process.cpuUsage(node0);
    const pg1 = postgresTicks();
    let ticks = 0;
    // a process started since counts from zero; one that ended took its time with it
    if (pg0 && pg1) for (const [pid, t] of pg1) ticks += t - (pg0.get(pid) ?? 0);
    return {
      node: (node.user + node.system) / 1e6,
      postgres: pg0 && pg1 && pg1.size > 0 ? ticks / TICKS_PER_SECOND : null,
    };
  };
}

export const describeCpu = (c: CpuSpent): string =>
  `node ${c.node.toFixed(1)} s${c.postgres !== null ? `, PostgreSQL ${c.postgres.toFixed(1)} s` : ""}`;
