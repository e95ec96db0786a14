/**
 * Bounded decompression for files from elsewhere: read a gzip file's first bytes (its format
 * header) without inflating the rest, then inflate the whole with an output limit derived from
 * that header, so a small "gzip bomb" never costs more memory than the header announces.
 * @module
 */
import { constants as bufferConstants } from 'node:buffer';
import zlib from 'node:zlib';

/** Deflate's best compression ratio is 1032:1; a stream can never inflate to more than this per input byte. */
const MAX_DEFLATE_RATIO = 1032;

/** Largest output a header probe may produce (a head of `want` bytes plus one deflate match of slack). */
const PROBE_SLACK = 1 << 16;

/** Why bounded inflation failed: `corrupt` (zlib's message), `too-large` (past the limit). @internal */
export class InflateProblem extends Error {
  /** What went wrong. */
  readonly kind: 'corrupt' | 'too-large';

  /**
   * @param kind - What went wrong.
   * @param message - Details (zlib's message for corrupt data).
   */
  constructor(kind: 'corrupt' | 'too-large', message: string) {
    super(message);
    this.kind = kind;
  }
}

function isTooLarge(e: unknown): boolean {
  return (e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

/** Inflates a prefix of a gzip (or raw deflate) stream (truncation is fine); undefined when it yields more than `limit` bytes. */
function probe(gz: Uint8Array, inputBytes: number, limit: number, raw: boolean): Uint8Array | undefined {
  const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: limit };
  try {
    return raw ? zlib.inflateRawSync(gz.subarray(0, inputBytes), options) : zlib.gunzipSync(gz.subarray(0, inputBytes), options);
  } catch (e) {
    if (isTooLarge(e)) return undefined;
    throw new InflateProblem('corrupt', (e as Error).message.slice(0, 120));
  }
}

/**
 * The first bytes of what `gz` (gzip, or raw deflate when `raw`) decompresses to: at least
 * `want` of them (fewer only when the whole stream is shorter), never more than `want` + 64 KiB, whatever the rest of the stream
 * holds. It inflates growing prefixes of the input (binary search once a prefix yields too much).
 * @throws {@link InflateProblem} of kind `corrupt` for invalid gzip data.
 * @example
 * ```ts
 * const head = gunzipHead(fs.readFileSync('train-images-idx3-ubyte.gz'), 16);
 * ```
 * @internal
 */
export function gunzipHead(gz: Uint8Array, want: number, raw = false): Uint8Array {
  const limit = want + PROBE_SLACK;
  let enough = gz.length + 1; // smallest input prefix known to yield more than `limit`
  let short = 0; // largest input prefix known to yield fewer than `want` bytes
  let k = Math.min(gz.length, 64);
  for (;;) {
    const out = probe(gz, k, limit, raw);
    if (out === undefined) enough = k;
    else if (out.length >= want || k === gz.length) return out;
    else short = k;
    const next = enough > gz.length ? Math.min(gz.length, k * 4) : Math.floor((short + enough) / 2);
    if (next <= short || next >= enough) {
      // One more input byte takes the output from under `want` to over `limit`: impossible for
      // deflate (one byte completes at most one 258-byte match), so the stream is malformed.
      throw new InflateProblem('corrupt', 'the compressed stream does not decode progressively');
    }
    k = next;
  }
}

/**
 * Inflates the whole gzip stream `gz`, which must decompress to exactly `size` bytes; it stops
 * (and throws) as soon as the output passes `size`, and refuses at once a `size` that `gz` is
 * too short to produce.
 * @throws {@link InflateProblem}: `too-large` past `size`, `corrupt` for invalid data or a
 *   `size` the input cannot reach.
 * @example
 * ```ts
 * const all = gunzipExactly(gz, 16 + 60000 * 28 * 28);
 * ```
 * @internal
 */
export function gunzipExactly(gz: Uint8Array, size: number): Uint8Array {
  if (size > gz.length * MAX_DEFLATE_RATIO + 1024) {
    throw new InflateProblem(
      'corrupt',
      `${gz.length} compressed bytes cannot hold ${size} bytes (deflate compresses at most ${MAX_DEFLATE_RATIO}:1)`,
    );
  }
  if (size >= bufferConstants.MAX_LENGTH) throw new InflateProblem('too-large', `${size} bytes do not fit in one buffer`);
  try {
    return zlib.gunzipSync(gz, { maxOutputLength: Math.max(1, size) });
  } catch (e) {
    if (isTooLarge(e)) throw new InflateProblem('too-large', `the data decompresses to more than ${size} bytes`);
    throw new InflateProblem('corrupt', (e as Error).message.slice(0, 120));
  }
}

/**
 * Whether `size` bytes could come out of `compressed` bytes of deflate data (its 1032:1 bound).
 * @example
 * ```ts
 * deflateCanHold(100, 1e9); // false
 * ```
 * @internal
 */
export function deflateCanHold(compressed: number, size: number): boolean {
  return size <= compressed * MAX_DEFLATE_RATIO + 1024;
}
