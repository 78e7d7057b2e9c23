/**
 * A lock file so two processes (two `npm test` runs, a demo beside a test run) never install
 * or start the stack at the same time. A lock whose owner died is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive } from './process.ts';

const WAIT_MS = 20 * 60_000;

function tryTake(file: string): boolean {
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(readFileSync(file, 'utf8').trim() || 'NaN');
    if (!Number.isInteger(owner) || !isAlive(owner)) {
      rmSync(file, { force: true }); // stale: its owner is gone
      return tryTake(file);
    }
    return false;
  }
}

export async function withLock<T>(
  file: string,
  log: (line: string) => void,
  body: () => T | Promise<T>,
): Promise<T> {
  // On a fresh machine the cache directory that holds the lock does not exist yet.
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  let said = false;
  while (!tryTake(file)) {
    if (!said) log(`waiting for another process holding ${file}`);
    said = true;
    if (Date.now() > deadline) throw new Error(`lock ${file} still held after 20 min`);
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    return await body();
  } finally {
    rmSync(file, { force: true });
  }
}
