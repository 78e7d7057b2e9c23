/**
 * Runs the local Athena endpoint as its own process (started by `fuji-etl stack up`).
 * Configured by environment: FUJI_ETL_ATHENA_PORT, FUJI_ETL_TRINO_URL.
 */
import { localStackConfig, localUrls } from '../config.ts';
import { createAthenaServer } from './server.ts';

const cfg = localStackConfig();
const trinoUrl = process.env.FUJI_ETL_TRINO_URL || localUrls(cfg).trino;

const server = await createAthenaServer({ host: cfg.host, port: cfg.athenaPort, trinoUrl });
process.stdout.write(`local Athena endpoint on ${server.url}, running queries on ${trinoUrl}\n`);

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => {
    void server.close().then(() => process.exit(0));
  });
}
