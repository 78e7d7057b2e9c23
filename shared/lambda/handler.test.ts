import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, FujiEtlError } from '../errors/index.ts';
import { HttpTransportError, SourceShapeError } from '../http/errors.ts';
import { answeredFailure, lambdaHandler, logger } from './handler.ts';

/** A Lambda context as the runtime hands it over, with a quarter of an hour left. */
const context = {
  functionName: 'fuji-etl-dev-scheduled',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:fuji-etl-dev-scheduled',
  memoryLimitInMB: '1024',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/fuji-etl-dev-scheduled',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 900_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

/** The Lambda handler of `fail`, the events it logged and the EMF metric names it wrote. */
function wrapped(fail: () => never, notRetried?: 'answer' | 'throw') {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const error = vi.spyOn(logger, 'error').mockImplementation(() => {});
  const handler = lambdaHandler(
    async () => fail(),
    notRetried === undefined ? {} : { notRetried },
  ) as unknown as (e: unknown, c: typeof context) => Promise<unknown>;
  const metrics = () =>
    write.mock.calls
      .flatMap((c) => String(c[0]).split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { invoke: () => handler({ connector: 'jma_amedas' }, context), error, metrics };
}

describe('the Lambda boundary and the retryable marker', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers a failure marked not retryable, logs it as an error and counts it for the alarm', async () => {
    const shape = new SourceShapeError('https://www.jma.go.jp/x.json', '$.a', 'not an array');
    const { invoke, error, metrics } = wrapped(() => {
      throw shape;
    }, 'answer');
    await expect(invoke()).resolves.toEqual({
      errorType: 'SourceShapeError',
      errorMessage: shape.toLine(),
      code: 'SOURCE_SHAPE',
      retryable: false,
    });
    expect(error).toHaveBeenCalledWith(
      'INVOCATION_NOT_RETRIED',
      expect.objectContaining({
        functionName: 'fuji-etl-dev-scheduled',
        errorCode: 'SOURCE_SHAPE',
        errorType: 'SourceShapeError',
      }),
    );
    const counted = metrics().filter((m) => 'InvocationsNotRetried' in m);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      InvocationsNotRetried: 1,
      FunctionName: 'fuji-etl-dev-scheduled',
    });
  });

  it('throws retryable and unmarked failures, so Lambda retries them and then the failure queue takes them', async () => {
    const transient = new HttpTransportError(
      'https://www.jma.go.jp/x.json',
      new Error('ECONNRESET'),
    );
    await expect(
      wrapped(() => {
        throw transient;
      }, 'answer').invoke(),
    ).rejects.toBe(transient);
    const bug = new TypeError('x is undefined');
    const unmarked = wrapped(() => {
      throw bug;
    }, 'answer');
    await expect(unmarked.invoke()).rejects.toBe(bug);
    expect(unmarked.metrics().filter((m) => 'InvocationsNotRetried' in m)).toEqual([]);
  });

  it('throws a mistake in the event even when not retryable: its sender sees a function error', async () => {
    const bad = new FujiEtlError('BAD_EVENT', 'unknown connector "jma_amedsa"');
    await expect(
      wrapped(() => {
        throw bad;
      }, 'answer').invoke(),
    ).rejects.toBe(bad);
    expect(answeredFailure(new FujiEtlError('USAGE', 'bad flag'))).toBeUndefined();
    expect(answeredFailure(new ConfigError('FUJI_ETL_X must be set'))).toBeInstanceOf(ConfigError);
  });

  it('throws every failure of a function that did not opt in (people invoke it and read the error)', async () => {
    const refused = new ConfigError('FUJI_ETL_REPORT_LOCATION must be s3://<bucket>/<prefix>/');
    const w = wrapped(() => {
      throw refused;
    });
    await expect(w.invoke()).rejects.toBe(refused);
    expect(w.error).not.toHaveBeenCalled();
  });
});
