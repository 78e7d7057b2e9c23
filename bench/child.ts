/**
 * Benchmarks measure each case in a process of its own, so that its peak RSS is its own: the
 * child prints one JSON line last, and the parent reads it back.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** This process's peak resident set (VmHWM), in MB. */
export function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/**
 * Runs `node <args>` and returns the JSON of its last line of output; `what` names the case
 * when the child fails (with the end of its error output).
 */
export function runChild<T>(what: string, args: readonly string[]): T {
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `${what} failed: ${(out.stderr || `exit ${out.status}`).trim().split('\n').slice(-5).join('\n')}`,
    );
  }
}
