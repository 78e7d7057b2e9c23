/** Errors of whole files: the file cannot be read as the contract's CSV at all. */
import { FujiEtlError, type ErrorCode } from '../errors/index.ts';

/**
 * A file-level problem (encoding, binary content, no header). Not retryable: the same bytes fail
 * the same way; the object is tagged failed and can be re-run once the contract or file is fixed.
 */
export class CsvFileError extends FujiEtlError {
  constructor(code: ErrorCode, message: string, context: Record<string, unknown>) {
    super(code, message, { retryable: false, context });
  }
}
