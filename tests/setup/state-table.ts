/**
 * Every integration test file gets a state table of its own: FUJI_ETL_STATE_TABLE names it before
 * the file (and any handler it imports, which reads the variable at module load) is loaded, it is
 * created before the file's tests and dropped after them. Nothing a test does to cursors, locks
 * or member health is seen by another file, by a later run or by the demo's `fuji-etl-state`.
 */
import { afterAll, beforeAll } from 'vitest';
import { createStateTable, dropStateTable, stateTableName } from '../helpers/state.ts';

const name = stateTableName('file');
process.env.FUJI_ETL_STATE_TABLE = name;

beforeAll(() => createStateTable(name));
afterAll(() => dropStateTable(name));
