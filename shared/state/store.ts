/**
 * Cursors and per-table locks in one DynamoDB table (moto locally). A lock is a conditional put
 * that succeeds only when no live lock exists, so two runs never write one Iceberg table at the
 * same time (which would end in ICEBERG_COMMIT_ERROR, and on Trino can break isolation).
 *
 * Locks are short-lived and renewed: the holder's heartbeat pushes `expiresAt` one TTL ahead
 * every third of a TTL, so a crashed run's lock frees within one TTL (two minutes by default)
 * while a long load keeps its lock. A holder that could not renew in time stops before its next
 * write ({@link Lock.assertHeld}), because by then another run may hold the lock.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { backoff, sleep } from '../engine/sleep.ts';
import { FujiEtlError } from '../errors/index.ts';

export class LockHeldError extends FujiEtlError {
  /** When the holder's lock lapses unless its heartbeat renews it (epoch ms). */
  readonly expiresAt: number;

  constructor(name: string, holder: string, expiresAt: number) {
    super(
      'LOCK_HELD',
      `${name} is locked by run ${holder} until ${new Date(expiresAt).toISOString()}`,
      {
        retryable: true,
        context: { lock: name, holder },
      },
    );
    this.expiresAt = expiresAt;
  }
}

export class LockLostError extends FujiEtlError {
  constructor(name: string, owner: string, why: string) {
    super(
      'LOCK_LOST',
      `${name}: run ${owner} no longer holds the lock (${why}); stopped before writing`,
      {
        retryable: true,
        context: { lock: name, holder: owner },
      },
    );
  }
}

export interface Lock {
  readonly name: string;
  readonly owner: string;
  /** Throws {@link LockLostError} unless the lock is surely still ours for a while. */
  assertHeld(): void;
  release(): Promise<void>;
  /**
   * Stops renewing and keeps the lock for `forMs` more, for the same owner's next invocation
   * (which takes it over by owner): nobody else writes the table between the two.
   */
  handOver(forMs: number): Promise<void>;
}

/** A lock as operators see it (`fuji-etl lock list`). */
export interface LockInfo {
  readonly name: string;
  readonly owner: string;
  readonly acquiredAt: string;
  /** When the last heartbeat renewed it. */
  readonly heartbeatAt: string;
  readonly expiresAt: string;
  /** The heartbeat is fresh: its run is alive (or died less than one TTL ago). */
  readonly live: boolean;
}

export interface AcquireOptions {
  /** Keep trying (jittered backoff) while another run holds it, until this epoch ms. */
  readonly waitUntil?: number;
  readonly signal?: AbortSignal;
  /** Renew in the background (default true). */
  readonly heartbeat?: boolean;
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

export class StateStore {
  private readonly db: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => number;

  constructor(db: DynamoDBDocumentClient, table: string, now: () => number = Date.now) {
    this.db = db;
    this.table = table;
    this.now = now;
  }

  /** The saved cursor value for a connector and slice family, or undefined on the first run. */
  async getCursor(connector: string, name: string): Promise<string | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `cursor#${connector}#${name}` },
        ConsistentRead: true,
      }),
    );
    return out.Item?.value as string | undefined;
  }

  async putCursor(connector: string, name: string, value: string, runId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `cursor#${connector}#${name}`,
          value,
          runId,
          updatedAt: new Date(this.now()).toISOString(),
        },
      }),
    );
  }

  async deleteCursor(connector: string, name: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `cursor#${connector}#${name}` } }),
    );
  }

  /**
   * Takes the named lock for `ttlMs` and keeps renewing it, or throws {@link LockHeldError}
   * while another live run holds it (after waiting until `waitUntil`, when given).
   *
   * @example
   * const lock = await store.acquireLock('table#weather.jma_forecast', runId, 120_000);
   * try { lock.assertHeld(); … } finally { await lock.release(); }
   */
  async acquireLock(
    name: string,
    owner: string,
    ttlMs: number,
    opts: AcquireOptions = {},
  ): Promise<Lock> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tryAcquire(name, owner, ttlMs, opts.heartbeat ?? true);
      } catch (err) {
        if (!(err instanceof LockHeldError) || opts.waitUntil === undefined) throw err;
        const left = opts.waitUntil - Date.now();
        if (left <= 0) throw err;
        // Wake just after the holder's lock would lapse (a dead holder's frees then; a live one's
        // heartbeat has moved it on), jittered so waiters do not collide; never past the deadline,
        // but try once more at it.
        const lapse = err.expiresAt - this.now() + backoff(attempt, 50, 500);
        await sleep(Math.min(Math.max(100, Math.min(lapse, 5_000)), left), opts.signal);
      }
    }
  }

  private async tryAcquire(
    name: string,
    owner: string,
    ttlMs: number,
    heartbeat: boolean,
  ): Promise<Lock> {
    const now = this.now();
    const pk = `lock#${name}`;
    const at = new Date(now).toISOString();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk, owner, expiresAt: now + ttlMs, acquiredAt: at, heartbeatAt: at },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now, ':owner': owner },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const held = await this.db.send(
        new GetCommand({ TableName: this.table, Key: { pk }, ConsistentRead: true }),
      );
      throw new LockHeldError(
        name,
        String(held.Item?.owner ?? '?'),
        Number(held.Item?.expiresAt ?? now),
      );
    }
    let expiresAt = now + ttlMs;
    let lost: string | undefined;
    /** Moves the lock's expiry to `forMs` from now, if it is still ours (else throws). */
    const extend = async (forMs: number): Promise<number> => {
      const t = this.now();
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk },
          UpdateExpression: 'SET expiresAt = :exp, heartbeatAt = :at',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':exp': t + forMs,
            ':at': new Date(t).toISOString(),
            ':owner': owner,
          },
        }),
      );
      return t + forMs;
    };
    const renew = async () => {
      try {
        expiresAt = await extend(ttlMs);
      } catch (err) {
        // Taken over (it had expired) or released by an operator: ours no more. Any other error
        // is retried on the next beat; assertHeld stops the writes if the TTL runs out first.
        if (isConditionFailure(err)) lost = 'taken over or released by an operator';
      }
    };
    const timer = heartbeat
      ? setInterval(() => void renew(), Math.max(1, Math.floor(ttlMs / 3)))
      : undefined;
    timer?.unref();
    return {
      name,
      owner,
      assertHeld: () => {
        if (lost) throw new LockLostError(name, owner, lost);
        // A margin of a sixth of the TTL: a write that starts now must not outlive the lock.
        if (this.now() > expiresAt - ttlMs / 6) {
          throw new LockLostError(
            name,
            owner,
            `not renewed since ${new Date(expiresAt - ttlMs).toISOString()}`,
          );
        }
      },
      handOver: async (forMs) => {
        if (timer) clearInterval(timer);
        try {
          await extend(forMs);
        } catch (err) {
          // Lost meanwhile: the next invocation finds it taken and waits or fails, as any run.
          if (!isConditionFailure(err)) throw err;
        }
      },
      release: async () => {
        if (timer) clearInterval(timer);
        try {
          await this.db.send(
            new DeleteCommand({
              TableName: this.table,
              Key: { pk },
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': owner },
            }),
          );
        } catch (err) {
          // Someone took over an expired lock: theirs now, nothing to release.
          if (!isConditionFailure(err)) throw err;
        }
      },
    };
  }

  /** Every lock in the table, live or expired. */
  async listLocks(): Promise<LockInfo[]> {
    const out: LockInfo[] = [];
    let start: Record<string, unknown> | undefined;
    const now = this.now();
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': 'lock#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) {
        const exp = Number(i.expiresAt);
        out.push({
          name: String(i.pk).slice('lock#'.length),
          owner: String(i.owner),
          acquiredAt: String(i.acquiredAt ?? ''),
          heartbeatAt: String(i.heartbeatAt ?? i.acquiredAt ?? ''),
          expiresAt: new Date(exp).toISOString(),
          live: exp >= now,
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Removes a lock for an operator. A lock whose heartbeat is fresh belongs to a live run and is
   * refused unless `force`: releasing it lets a second writer in beside the first.
   */
  async releaseLock(name: string, opts: { force?: boolean } = {}): Promise<LockInfo | undefined> {
    const info = (await this.listLocks()).find((l) => l.name === name);
    if (!info) return undefined;
    if (info.live && !opts.force) {
      throw new FujiEtlError(
        'LOCK_LIVE',
        `${name} is held by run ${info.owner}, heartbeat ${info.heartbeatAt} (expires ${info.expiresAt}); pass --force to release it anyway`,
        { retryable: false, context: { lock: name, holder: info.owner } },
      );
    }
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: `lock#${name}` } }));
    return info;
  }
}
