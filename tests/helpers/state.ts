/**
 * State tables (cursors, locks, member health) of a test's own in moto's DynamoDB. A cursor or
 * lock left in a shared table made later tests depend on what ran before them and on the
 * calendar (a scheduled run caught up one slice per day since the last test run).
 */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { onTestFinished } from 'vitest';
import { StateStore } from '#shared/state/store.ts';
import { urls } from './local.ts';

/** The key schema of the deployed table (infra/storage.yml `StateTable`) and the CLI's local one. */
export const STATE_TABLE_SCHEMA: Omit<CreateTableCommandInput, 'TableName'> = {
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

const dynamo = () =>
  new DynamoDBClient({
    endpoint: urls.moto,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** A table name no other test uses, e.g. `state-it-weather-3fa2c1`. */
export function stateTableName(prefix: string): string {
  return `state-it-${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function createStateTable(name: string): Promise<void> {
  const db = dynamo();
  try {
    await db.send(new CreateTableCommand({ TableName: name, ...STATE_TABLE_SCHEMA }));
  } catch (err) {
    // Created already (a helper called twice): the same name means the same test's table.
    if (!(err instanceof Error) || err.name !== 'ResourceInUseException') throw err;
  } finally {
    db.destroy();
  }
}

export async function dropStateTable(name: string): Promise<void> {
  const db = dynamo();
  try {
    await db.send(new DeleteTableCommand({ TableName: name }));
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'ResourceNotFoundException') throw err;
  } finally {
    db.destroy();
  }
}

/** The file's own state table (tests/setup/state-table.ts), named before any handler loads. */
export function fileStateTable(): string {
  const name = process.env.FUJI_ETL_STATE_TABLE;
  if (!name?.startsWith('state-it-'))
    throw new Error('no per-file state table: is tests/setup/state-table.ts in setupFiles?');
  return name;
}

/** A store on a state table (by default the file's), to set or read cursors as a run would. */
export function stateStore(table = fileStateTable()): StateStore {
  return new StateStore(DynamoDBDocumentClient.from(dynamo()), table);
}

/**
 * Inside a test: a new empty state table, dropped when the test finishes. For a test that needs
 * a state of its own beside the file's (tests/setup/state-table.ts gives every file one).
 */
export async function freshStateTable(prefix: string): Promise<string> {
  const name = stateTableName(prefix);
  await createStateTable(name);
  onTestFinished(() => dropStateTable(name));
  return name;
}
