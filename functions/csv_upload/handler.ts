/**
 * S3 ObjectCreated on the upload bucket's `uploads/` prefix: each object is loaded through its
 * dataset's contract (connectors/csv_upload/upload.ts). A file that is wrong is tagged failed and
 * not retried (the same bytes fail the same way); an infrastructure failure (engine, lock, S3) is
 * thrown so Lambda's retries and the on-failure destination take it.
 */
import { loadConfig } from '#shared/config/index.ts';
import { objectsOf, type S3Event } from '#shared/aws/s3-event.ts';
import { s3ClientFor } from '#shared/aws/s3.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { lambdaHandler } from '#shared/lambda/handler.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { contractFileDeps, contracts } from '#connectors/contracts.ts';
import { loadUpload, type UploadOutcome } from '#connectors/csv_upload/upload.ts';

const cfg = loadConfig({ FUJI_ETL_TARGET: 'aws', ...process.env });
const { engine, store, staging } = depsFor(cfg);
const s3 = s3ClientFor(cfg);

export const handler = lambdaHandler(
  async (event: S3Event, { signal, deadline, log }): Promise<UploadOutcome[]> => {
    const outcomes: UploadOutcome[] = [];
    for (const o of objectsOf(event)) {
      outcomes.push(
        await loadUpload(
          { engine, dialect: cfg.dialect, store, staging, s3, contracts, contractFileDeps, log },
          o,
          {
            signal,
            deadline,
          },
        ),
      );
    }
    const retry = outcomes.filter((o) => o.retryable);
    if (retry.length > 0) {
      throw new FujiEtlError(
        'UPLOAD_RETRY',
        `${retry.length} upload(s) failed for a passing reason`,
        {
          retryable: true,
          context: { keys: retry.map((o) => o.key), error: retry[0]!.error },
        },
      );
    }
    return outcomes;
  },
);
