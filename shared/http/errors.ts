/** Errors of upstream HTTP sources, naming the URL (secrets redacted) and, for payloads, the path. */
import { FujiEtlError, type ErrorCode } from '../errors/index.ts';

const SECRET_PARAMS = /([?&](?:apikey|api_key|key|token|access_token)=)[^&#]*/gi;

/**
 * The URL with credentials in its query replaced, safe for logs, errors and the ledger. `secrets`
 * are values known to be secret (an API key sent under a parameter name of the source's own
 * choosing): they are replaced wherever they occur.
 */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  return redact(url, secrets).replace(SECRET_PARAMS, '$1***');
}

/** `text` with every occurrence of each secret value (raw or URL-encoded) replaced. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue; // too short to tell from ordinary text; keys are longer
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/** How a failure may be treated by the runtime: the markers of {@link FujiEtlError}. */
export interface Marks {
  readonly retryable: boolean;
  readonly stopsRun?: boolean;
  readonly deferred?: boolean;
}

export class HttpStatusError extends FujiEtlError {
  readonly status: number;
  /** The URL asked, redacted. */
  readonly url: string;
  /** The start of the answer, for callers that read the source's own error format. */
  readonly body: string;
  /** What the answer's Retry-After asked for, when it did. */
  readonly retryAfterMs: number | undefined;
  constructor(
    url: string,
    status: number,
    body: string,
    marks: boolean | Marks,
    opts: { secrets?: readonly string[]; retryAfterMs?: number } = {},
  ) {
    const safe = redactUrl(url, opts.secrets);
    const text = redact(body, opts.secrets);
    super('HTTP_STATUS', `${safe} answered HTTP ${status}: ${text.slice(0, 200)}`, {
      ...(typeof marks === 'boolean' ? { retryable: marks } : marks),
      context: { url: safe, status },
    });
    this.status = status;
    this.url = safe;
    this.body = text.slice(0, 4_000);
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export class HttpTransportError extends FujiEtlError {
  constructor(url: string, cause: unknown, secrets: readonly string[] = []) {
    const raw = cause instanceof Error ? cause.message : String(cause);
    const why = redact(raw, secrets);
    super('HTTP_TRANSPORT', `${redactUrl(url, secrets)}: ${why}`, {
      retryable: true,
      // A cause that quotes a secret (a URL it could not parse) is not kept: loggers print causes.
      ...(why === raw && { cause }),
      context: { url: redactUrl(url, secrets) },
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

/** A source's refusal in its own terms (its error format, the member and request named). */
export class SourceRequestError extends FujiEtlError {
  /** The HTTP status, when an answer came. */
  readonly status: number | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    opts: Marks & { status?: number; context?: Record<string, unknown>; cause?: unknown },
  ) {
    super(code, message, opts);
    this.status = opts.status;
  }
}

/** Paging did not end where it should: more pages than declared possible, or a page repeated. */
export class PagingError extends FujiEtlError {
  constructor(url: string, message: string) {
    super('HTTP_PAGING', `${url}: ${message}`, { retryable: false, context: { url } });
  }
}
