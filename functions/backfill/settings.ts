import { int } from '#shared/settings/define.ts';

export const settings = {
  maxInvocations: int('FUJI_ETL_BACKFILL_MAX_INVOCATIONS', {
    default: 50,
    doc: 'Invocations one backfill may chain before it stops and says where it stands.',
  }),
};
