/**
 * The error classes thrown by tapegrad. Every message names the op and the offending
 * shapes, dtypes or values, e.g. `matmul: cannot multiply [2, 3] by [4, 5]: inner sizes 3 and 4 differ`.
 * @module
 */
import { brandClass } from './brand.js';

/**
 * Base class of every error tapegrad throws on purpose.
 * @example
 * ```ts
 * try { tensor([1, 2]).add(tensor([1, 2, 3])); } catch (e) { if (e instanceof TapegradError) console.log(e.message); }
 * ```
 */
export class TapegradError extends Error {
  /** The error class name, `TapegradError`. */
  override name = 'TapegradError';
}

/**
 * An argument of the wrong type, or in the wrong place: a number where an options object goes, a
 * string where a boolean goes, too many positional arguments. It is a built-in `TypeError` (so
 * `e instanceof TypeError` holds) and also counts as a {@link TapegradError}. The message names the
 * function and the forms it accepts.
 * @example
 * ```ts
 * new optim.SGD(params, 'fast'); // throws ArgumentTypeError: SGD: lr must be a number, got 'fast'
 * ```
 */
export class ArgumentTypeError extends TypeError {
  /** The error class name, `ArgumentTypeError`. */
  override name = 'ArgumentTypeError';
}

/**
 * Shapes that do not fit: broadcasting, matmul inner sizes, reshape sizes.
 * @example
 * ```ts
 * tensor([1, 2]).add(tensor([1, 2, 3])); // throws ShapeError
 * ```
 */
export class ShapeError extends TapegradError {
  /** The error class name, `ShapeError`. */
  override name = 'ShapeError';
}

/**
 * A dtype the op does not support, e.g. `requiresGrad` on an int32 tensor.
 * @example
 * ```ts
 * tensor([1, 2], { dtype: 'int32', requiresGrad: true }); // throws DTypeError
 * ```
 */
export class DTypeError extends TapegradError {
  /** The error class name, `DTypeError`. */
  override name = 'DTypeError';
}

/**
 * Misuse of the autograd engine: a freed graph, a tensor modified in place after it was saved,
 * backward on a non-scalar without a gradient.
 * @example
 * ```ts
 * const y = x.exp().sum(); y.backward(); y.backward(); // throws AutogradError: pass retainGraph: true
 * ```
 */
export class AutogradError extends TapegradError {
  /** The error class name, `AutogradError`. */
  override name = 'AutogradError';
}

/**
 * A dim or an index out of range.
 * @example
 * ```ts
 * zeros([2, 3]).sum(2); // throws IndexError: dim 2 out of range for a 2-d tensor
 * ```
 */
export class IndexError extends TapegradError {
  /** The error class name, `IndexError`. */
  override name = 'IndexError';
}

/**
 * A value the op cannot take: a negative size, a bad option, ragged nested arrays.
 * @example
 * ```ts
 * tensor([[1, 2], [3]]); // throws ValueError: ragged
 * ```
 */
export class ValueError extends TapegradError {
  /** The error class name, `ValueError`. */
  override name = 'ValueError';
}

/**
 * A feature that is not implemented yet; the message says what is missing.
 * @example
 * ```ts
 * try { something(); } catch (e) { if (e instanceof NotImplementedError) console.log(e.message); }
 * ```
 */
export class NotImplementedError extends TapegradError {
  /** The error class name, `NotImplementedError`. */
  override name = 'NotImplementedError';
}

// Errors are branded (see brand.ts), so `instanceof` holds for errors thrown by another copy of the
// library (the ESM and the CommonJS build in one process). ArgumentTypeError extends the built-in
// TypeError, and carries TapegradError's brand so that it counts as one too.
brandClass(TapegradError, 'TapegradError');
brandClass(ArgumentTypeError, 'ArgumentTypeError', ['TapegradError']);
brandClass(ShapeError, 'ShapeError');
brandClass(DTypeError, 'DTypeError');
brandClass(AutogradError, 'AutogradError');
brandClass(IndexError, 'IndexError');
brandClass(ValueError, 'ValueError');
brandClass(NotImplementedError, 'NotImplementedError');

/** Formats a shape as `[2, 3]` for error messages. @internal */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
