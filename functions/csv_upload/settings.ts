import { int } from '#shared/settings/define.ts';

export const settings = {
  commitReserveMs: int('FUJI_ETL_UPLOAD_COMMIT_RESERVE_MS', {
    default: 240_000,
    min: 0,
    unit: 'ms',
    doc: 'When this much of the invocation is left, a large file stops at its next checkpoint and is handed to a new invocation.',
  }),
  maxInvocations: int('FUJI_ETL_UPLOAD_MAX_INVOCATIONS', {
    default: 20,
    doc: 'Invocations one file may take (the last reads to the end).',
  }),
};
