/**
 * Contracts the data team puts into the upload bucket, `contracts/<dataset>.yml` (or .yaml, .json):
 * a new file layout without a redeploy. The bucket is versioned; the newest version that is a
 * valid contract for that dataset wins, a newer invalid one is reported and passed over, and the
 * version used is recorded with every file it loads. Without one, the repository's contract.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { listVersions, openObject } from '#shared/aws/s3.ts';
import { parseContractFile, type ContractFileDeps } from '#shared/csv/contract-file.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { describeError } from '#shared/errors/index.ts';

export const CONTRACT_PREFIX = 'contracts/';
const CONTRACT_FILE = /^contracts\/([a-z][a-z0-9_]*)\.(ya?ml|json)$/;

export interface ChosenContract {
  readonly contract: Contract;
  /** `s3://bucket/contracts/x.yml@<version>` or `repository`. */
  readonly from: string;
  /** Newer versions that were not valid, with why. */
  readonly passedOver: readonly { readonly version: string; readonly error: string }[];
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * @example
 * const chosen = await chooseContract(s3, bucket, 'moe_climbers_8th', repoContracts, deps);
 */
export async function chooseContract(
  s3: S3Client,
  bucket: string,
  dataset: string,
  repository: ReadonlyMap<string, Contract>,
  deps: ContractFileDeps,
): Promise<ChosenContract | undefined> {
  const passedOver: { version: string; error: string }[] = [];
  const versions = (await listVersions(s3, bucket, `${CONTRACT_PREFIX}${dataset}.`)).filter(
    (v) => CONTRACT_FILE.exec(v.key)?.[1] === dataset,
  );
  for (const v of versions) {
    const from = `s3://${bucket}/${v.key}@${v.versionId}`;
    try {
      const obj = await openObject(s3, bucket, v.key, { versionId: v.versionId });
      const contract = parseContractFile(await text(obj.body), from, deps);
      if (contract.name !== dataset)
        throw new Error(`names contract ${contract.name}, not ${dataset} (the file's name)`);
      return { contract, from, passedOver };
    } catch (err) {
      passedOver.push({ version: from, error: describeError(err) });
    }
  }
  const repo = repository.get(dataset);
  return repo ? { contract: repo, from: 'repository', passedOver } : undefined;
}
