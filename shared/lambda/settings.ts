/** Settings of the Lambda boundary every function shares. */
import { int } from '../settings/define.ts';

export const LAMBDA_SETTINGS = {
  checkpointMarginMs: int('FUJI_ETL_CHECKPOINT_MARGIN_MS', {
    default: 30_000,
    min: 1_000,
    unit: 'ms',
    doc: 'Time kept back from Lambda’s timeout for the wind-down: the slice in flight is recorded as aborted and the locks released.',
  }),
};
