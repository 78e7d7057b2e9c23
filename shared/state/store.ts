/**
 * Cursors and per-table locks in one DynamoDB table (moto locally). A lock is a conditional put
 * that succeeds only when no live lock exists, so two runs never write one Iceberg table at the
 * same time (which would end in ICEBERG_COMMIT_ERROR); a lock left by a crashed run expires.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { FujiEtlError } from '../errors/index.ts';

export class LockHeldError extends FujiEtlError {
  constructor(name: string, holder: string, expiresAt: number) {
    super(
      'LOCK_HELD',
      `${name} is locked by run ${holder} until ${new Date(expiresAt).toISOString()}`,
      {
        retryable: true,
        context: { lock: name, holder },
      },
    );
  }
}

export interface Lock {
  readonly name: string;
  readonly owner: string;
  release(): Promise<void>;
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
   * Takes the named lock for `ttlMs`, or throws {@link LockHeldError} while another live run holds it.
   *
   * @example
   * const lock = await store.acquireLock('table#weather.jma_forecast', runId, 15 * 60_000);
   * try { … } finally { await lock.release(); }
   */
  async acquireLock(name: string, owner: string, ttlMs: number): Promise<Lock> {
    const now = this.now();
    const pk = `lock#${name}`;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk, owner, expiresAt: now + ttlMs, acquiredAt: new Date(now).toISOString() },
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
    return {
      name,
      owner,
      release: async () => {
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
}
