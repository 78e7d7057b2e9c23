/**
 * Runs the offline fakes of the external sources as one process of the local stack (started by
 * `fuji-etl stack up`), on the real clock. Ports: FUJI_ETL_FAKES_PORT (JMA, Open-Meteo) and
 * FUJI_ETL_GA4_FAKE_PORT (GA4 Data API),
 * FUJI_ETL_OPENDATA_FAKE_PORT (Shizuoka open-data catalogue).
 */
import { localStackConfig } from '../config.ts';
import { createGa4Fake } from './ga4/server.ts';
import { createOpendataFake } from './opendata/server.ts';
import { createWeatherFake } from './weather/server.ts';

const cfg = localStackConfig();
// GA4 first: the stack's health check asks the weather port, so both listen once it answers.
const ga4 = await createGa4Fake({ port: cfg.ga4Port });
const opendata = await createOpendataFake({ port: cfg.opendataPort });
const weather = await createWeatherFake({ port: cfg.fakesPort });
process.stdout.write(
  `source fakes: JMA, Open-Meteo on ${weather.url}; GA4 on ${ga4.url}; open data on ${opendata.url}\n`,
);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.once(
    sig,
    () =>
      void Promise.all([weather.close(), ga4.close(), opendata.close()]).then(() =>
        process.exit(0),
      ),
  );
}
