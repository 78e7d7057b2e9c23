/**
 * Starts the local stack once for all integration test files and reuses a running one. A stack
 * that was already up (a developer's) is left running; one this run started is stopped at the end.
 */
import { stackDown, stackStatus, stackUp } from '#local/stack/index.ts';

let startedHere = false;

export async function setup(): Promise<void> {
  const before = await stackStatus();
  const missing = before.services.filter((s) => !s.running);
  if (missing.length > 0) {
    startedHere = missing.length === before.services.length;
    await stackUp({ log: (l) => process.stderr.write(`[stack] ${l}\n`) });
  }
}

export async function teardown(): Promise<void> {
  if (startedHere && !process.env.FUJI_ETL_KEEP_STACK) await stackDown();
}
