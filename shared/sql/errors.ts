import { FujiEtlError } from '../errors/index.ts';

/** A value that cannot become a SQL literal of its column's type. Never retryable: the row is quarantined. */
export class LiteralError extends FujiEtlError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('SQL_LITERAL', message, { retryable: false, context });
  }
}

/** A name that is not a safe lowercase identifier. */
export class IdentifierError extends FujiEtlError {
  constructor(name: string, what: string, rule = '^[a-z][a-z0-9_]{0,62}$') {
    super('SQL_IDENTIFIER', `invalid ${what} ${JSON.stringify(name)}: must match ${rule}`, {
      retryable: false,
    });
  }
}
