import { TapegradError } from '../autograd/errors.js';
import { brandClass } from '../autograd/brand.js';

/**
 * Thrown when bytes do not form a valid file of the expected format, or when
 * a value cannot be written in that format. The message names the format,
 * what was wrong, and the offending value, e.g.
 * `safetensors: header length 9999999999 exceeds the file size 120`.
 *
 * @example
 * ```ts
 * try {
 *   decodeSafetensors(new Uint8Array(3));
 * } catch (e) {
 *   if (e instanceof FormatError) console.error(e.message);
 * }
 * ```
 */
export class FormatError extends TapegradError {
  /** Always `'FormatError'`. */
  override name = 'FormatError';

  /**
   * @param message - Full description, starting with the format name.
   * @param options - Optional `cause` (for example the underlying zlib or fs error).
   * @example
   * ```ts
   * throw new FormatError('idx: bad magic 0x1234');
   * ```
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Runs `decode` (which decodes the contents of the file at `path`), rethrowing a FormatError with
 * ` (file <path>)` appended to its message and the original as its cause.
 * @internal
 */
export function withFilePath<T>(path: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${e.message} (file ${path})`, { cause: e });
    throw e;
  }
}
brandClass(FormatError, 'FormatError');
