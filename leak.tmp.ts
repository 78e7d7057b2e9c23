import { createReadStream } from 'node:fs';
import { openCsv } from './shared/csv/read.ts';
import { entryRegistrationSummary as c } from './connectors/csv_upload/contracts.ts';
const path = '/root/.cache/fuji-etl/bench/entry-registrations-1073741824.csv';
const r = await openCsv(createReadStream(path), c, { source: 'x', reopen: async () => createReadStream(path) });
let i = 0;
for await (const b of r.batches()) {
  if (++i % 400 === 0) { (globalThis as any).gc(); console.log(i, Math.round(process.memoryUsage().heapUsed / 1e6), 'MB heap', Math.round(process.memoryUsage().external/1e6), 'MB ext'); }
}
