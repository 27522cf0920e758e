/**
 * CPU time of the calling thread. Node 20 tells only the process's (`process.cpuUsage`,
 * which in a worker counts every thread); Linux tells each thread's in /proc, in clock
 * ticks (10 ms here): what the bench needs to give the main thread's share and the workers'.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's counts (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of this thread, in microseconds; the process's where /proc has no thread entry. */
export function threadCpuMicros(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // After the command name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
  } catch {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
}
