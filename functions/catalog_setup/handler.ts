/**
 * CloudFormation custom resources for what CloudFormation cannot express (see docs/infra.md):
 * - Custom::S3TablesGrant: a Lake Formation grant on an S3 Tables namespace or its tables;
 * - Custom::GlueCatalogPolicy: the Glue catalog policy statements a zero-ETL integration needs.
 * Every request is answered on its ResponseURL, failures included, so a stack never waits an hour
 * for a response that will not come. Create, update and delete are each safe to repeat.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { clientOptions } from '#shared/aws/clients.ts';
import {
  respond,
  type CustomResourceEvent,
  type CustomResourceResult,
} from '#shared/aws/custom-resource.ts';
import {
  mergeStatements,
  zeroEtlStatements,
  type ZeroEtlPolicySpec,
} from '#shared/aws/glue-policy.ts';
import { grant, grantId, revoke, type GrantSpec } from '#shared/aws/lakeformation.ts';
import { loadConfig } from '#shared/config/index.ts';
import { describeError, FujiEtlError } from '#shared/errors/index.ts';
import { lambdaHandler } from '#shared/lambda/handler.ts';

const cfg = loadConfig(process.env);
const lakeFormation = new LakeFormationClient(clientOptions(cfg, cfg.awsEndpoint));
const glue = new GlueClient(clientOptions(cfg, cfg.awsEndpoint));

type Event = CustomResourceEvent<Record<string, unknown>>;

async function s3TablesGrant(e: Event): Promise<CustomResourceResult> {
  const spec = e.ResourceProperties as unknown as GrantSpec;
  if (e.RequestType === 'Delete') {
    await revoke(lakeFormation, spec);
    return { physicalResourceId: e.PhysicalResourceId ?? grantId(spec) };
  }
  const old = e.OldResourceProperties as unknown as GrantSpec | undefined;
  if (e.RequestType === 'Update' && old) await revoke(lakeFormation, old);
  await grant(lakeFormation, spec);
  return { physicalResourceId: grantId(spec) };
}

async function glueCatalogPolicy(e: Event): Promise<CustomResourceResult> {
  const spec = e.ResourceProperties as unknown as ZeroEtlPolicySpec;
  const id = `glue-policy:${spec.CatalogArn}:${spec.Sid}`;
  const old = e.OldResourceProperties as unknown as ZeroEtlPolicySpec | undefined;
  if (old && old.Sid !== spec.Sid) await mergeStatements(glue, old.CatalogArn, old.Sid, []);
  const add = e.RequestType === 'Delete' ? [] : zeroEtlStatements(spec);
  await mergeStatements(glue, spec.CatalogArn, spec.Sid, add);
  return { physicalResourceId: e.PhysicalResourceId ?? id };
}

const kinds: Record<string, (e: Event) => Promise<CustomResourceResult>> = {
  'Custom::S3TablesGrant': s3TablesGrant,
  'Custom::GlueCatalogPolicy': glueCatalogPolicy,
};

export const handler = lambdaHandler(async (event: Event, { log }) => {
  const what = {
    type: event.ResourceType,
    request: event.RequestType,
    resource: event.LogicalResourceId,
  };
  try {
    const kind = kinds[event.ResourceType];
    if (!kind) {
      throw new FujiEtlError('BAD_EVENT', `catalog_setup does not handle ${event.ResourceType}`, {
        context: what,
      });
    }
    const result = await kind(event);
    await respond(event, { ok: true, result });
    log({ code: 'CUSTOM_RESOURCE_DONE', ...what, physicalResourceId: result.physicalResourceId });
    return result;
  } catch (err) {
    const reason = describeError(err);
    log({ code: 'CUSTOM_RESOURCE_FAILED', ...what, error: reason });
    await respond(event, { ok: false, reason });
    return { failed: reason };
  }
});
