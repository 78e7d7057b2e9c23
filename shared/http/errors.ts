/** Errors of upstream HTTP sources, naming the URL (secrets redacted) and, for payloads, the path. */
import { FujiEtlError } from '../errors/index.ts';

const SECRET_PARAMS = /([?&](?:apikey|api_key|key|token|access_token)=)[^&#]*/gi;

/** The URL with credentials in its query replaced, safe for logs, errors and the ledger. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***');
}

export class HttpStatusError extends FujiEtlError {
  readonly status: number;
  /** The start of the answer, for callers that read the source's own error format. */
  readonly body: string;
  constructor(url: string, status: number, body: string, retryable: boolean) {
    super('HTTP_STATUS', `${redactUrl(url)} answered HTTP ${status}: ${body.slice(0, 200)}`, {
      retryable,
      context: { url: redactUrl(url), status },
    });
    this.status = status;
    this.body = body.slice(0, 4_000);
  }
}

export class HttpTransportError extends FujiEtlError {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('HTTP_TRANSPORT', `${redactUrl(url)}: ${why}`, {
      retryable: true,
      cause,
      context: { url: redactUrl(url) },
    });
  }
}

/** The payload does not have the shape the parser expects: names the URL and the JSON path. */
export class SourceShapeError extends FujiEtlError {
  constructor(url: string, path: string, message: string) {
    super('SOURCE_SHAPE', `${redactUrl(url)} at ${path}: ${message}`, {
      retryable: false,
      context: { url: redactUrl(url), path },
    });
  }
}
