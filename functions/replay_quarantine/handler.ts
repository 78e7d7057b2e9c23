/**
 * Manual invoke `{contract?}`: after a contract is fixed, quarantined rows of that contract (all
 * contracts when absent) are read again; those that now pass land and leave quarantine, the rest
 * stay with their (new) reason. Rerunnable: what landed is gone from quarantine.
 */
import { loadConfig } from '#shared/config/index.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { replayQuarantine, type ReplayResult } from '#shared/csv/replay.ts';
import { lambdaHandler } from '#shared/lambda/handler.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { contracts } from '#connectors/contracts.ts';

export interface ReplayEvent {
  readonly contract?: string;
}

const cfg = loadConfig(process.env);
const { engine, store, staging } = depsFor(cfg, process.env);

export const handler = lambdaHandler(
  async (event: ReplayEvent, { signal, log }): Promise<ReplayResult[]> => {
    if (event.contract !== undefined && !contracts.has(event.contract)) {
      throw new FujiEtlError(
        'BAD_EVENT',
        `unknown contract ${JSON.stringify(event.contract)}; known: ${[...contracts.keys()].join(', ')}`,
        { context: { event } },
      );
    }
    const results = await replayQuarantine(
      { engine, dialect: cfg.dialect, store, staging, log },
      contracts,
      {
        contract: event.contract,
        signal,
      },
    );
    for (const r of results) {
      log({ code: 'REPLAY_DONE', ...r, summary: undefined });
    }
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) {
      throw new FujiEtlError(
        'REPLAY_FAILED',
        `replay failed for ${failed.map((r) => r.contract).join(', ')}`,
        {
          retryable: true,
          context: { errors: failed.map((r) => ({ contract: r.contract, error: r.error })) },
        },
      );
    }
    return results;
  },
);
