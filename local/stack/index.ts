/**
 * The local stack as one object: `stackUp` provisions what is missing and starts what is not
 * running (a running service, ours or not, is reused), `stackDown` stops what we started,
 * `stackStatus` asks each service's health endpoint.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FujiEtlError } from '#shared/errors/index.ts';
import { localStackConfig } from '../config.ts';
import { configureStaging } from './configure.ts';
import { maintainWarehouse } from './maintain.ts';
import { withLock } from './lock.ts';
import { livePid, stopPid, tail } from './process.ts';
import { provision, type ProvisionReport } from './provision.ts';
import { SERVICE_NAMES, services, type Service, type ServiceName } from './services.ts';

export type { ServiceName } from './services.ts';
export type { ProvisionReport } from './provision.ts';

export interface ServiceStatus {
  readonly name: ServiceName;
  readonly running: boolean;
  readonly url: string;
  readonly pid?: number;
  readonly details?: string;
}

export interface StackStatus {
  readonly services: readonly ServiceStatus[];
}

type Log = (line: string) => void;

export async function provisionStack(opts: { log?: Log } = {}): Promise<ProvisionReport> {
  return (await provision(localStackConfig(), opts.log)).report;
}

async function statusOf(s: Service): Promise<ServiceStatus> {
  const pid = livePid(s.pidFile);
  const running = await s.healthy();
  const details = running
    ? pid === undefined
      ? 'not started by fuji-etl'
      : undefined
    : pid !== undefined
      ? 'process alive but not answering yet'
      : undefined;
  return {
    name: s.name,
    running,
    url: s.url,
    ...(pid !== undefined && { pid }),
    ...(details && { details }),
  };
}

export async function stackStatus(): Promise<StackStatus> {
  const all = services(localStackConfig());
  return { services: await Promise.all(SERVICE_NAMES.map((n) => statusOf(all[n]))) };
}

async function waitHealthy(s: Service, log: Log): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < s.startTimeoutS * 1000) {
    if (await s.healthy()) {
      log(`${s.name}: ready on ${s.url} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    if (livePid(s.pidFile) === undefined) break; // it died: no point waiting
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new FujiEtlError(
    'STACK_START',
    `${s.name} did not come up on ${s.url}; last lines of ${s.logFile}:\n${tail(s.logFile)}`,
    { retryable: true, context: { service: s.name } },
  );
}

export async function stackUp(
  opts: { services?: readonly ServiceName[]; log?: Log } = {},
): Promise<StackStatus> {
  const log = opts.log ?? (() => {});
  const cfg = localStackConfig();
  const all = services(cfg);
  const wanted = SERVICE_NAMES.filter((n) => !opts.services || opts.services.includes(n));
  await withLock(join(cfg.cacheDir, `stack-${cfg.trinoPort}.lock`), log, async () => {
    const down = [];
    for (const n of wanted) if (!(await all[n].healthy())) down.push(all[n]);
    if (down.length === 0) {
      if (wanted.includes('moto')) await configureStaging(cfg);
      return;
    }
    const { installation } = await provision(cfg, log);
    // All start at once: the Athena endpoint only forwards to Trino, so it may come up first.
    for (const s of down) {
      const stale = livePid(s.pidFile);
      if (stale !== undefined) {
        log(`${s.name}: pid ${stale} is not answering; restarting it`);
        await stopPid(stale);
      }
      log(`${s.name}: starting (log ${s.logFile})`);
      s.start(installation);
    }
    await Promise.all(down.map((s) => waitHealthy(s, log)));
    if (down.some((s) => s.name === 'trino')) await maintainWarehouse(cfg, log);
    if (wanted.includes('moto')) await configureStaging(cfg);
  });
  return stackStatus();
}

export async function stackDown(opts: { log?: Log } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const all = services(localStackConfig());
  // Athena first: it fronts Trino, and stopping it first means no query is cut half-way.
  for (const n of ['fakes', 'athena', 'moto', 'trino'] as const) {
    const pid = livePid(all[n].pidFile);
    if (pid === undefined) continue;
    await stopPid(pid);
    rmSync(all[n].pidFile, { force: true });
    log(`${n}: stopped (pid ${pid})`);
  }
}
