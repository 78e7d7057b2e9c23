/**
 * Runs the offline fakes of the external sources as one process of the local stack (started by
 * `fuji-etl stack up`), on the real clock. Port: FUJI_ETL_FAKES_PORT.
 */
import { localStackConfig } from '../config.ts';
import { createWeatherFake } from './weather/server.ts';

const fake = await createWeatherFake({ port: localStackConfig().fakesPort });
process.stdout.write(`source fakes (JMA, Open-Meteo) on ${fake.url}\n`);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(sig, () => void fake.close().then(() => process.exit(0)));
}
