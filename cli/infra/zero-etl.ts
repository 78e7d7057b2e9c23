/**
 * What the DynamoDB zero-ETL integration (infra/optional/app-zero-etl-enabled.yml) needs beyond
 * its own resources: the target role's Lake Formation grants on the app table bucket (access.ts)
 * and the pipeline's freshness and error alarms. Generated, so the grants follow the domain table;
 * included only when the stage's `appZeroEtl` is `enabled`.
 */
import type { PlannedGrant } from './access.ts';
import { grantResources } from './grants.ts';
import { pipelineAlarms } from './pipeline-alarms.ts';

export const ZERO_ETL_ROLE = 'AppZeroEtlTargetRole';

export function zeroEtlAccessTemplate(plan: readonly PlannedGrant[]) {
  return {
    Resources: {
      ...grantResources(plan, 'app'),
      ...pipelineAlarms('AppZeroEtl', 'FUJI NAVI user attributes (zero-ETL)', 'app', ZERO_ETL_ROLE),
    },
  };
}
