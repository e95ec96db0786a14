/**
 * How nn reads its arguments: PyTorch's positional forms in PyTorch's order, an options object
 * (camelCase) after them, or both, every value checked by the shared checks of
 * `autograd/args.ts`. One signature per layer or function; layers and `nn.F` share the option
 * specs, so a fact about an option lives in one place.
 * @module
 */
import { ArgumentTypeError, NotImplementedError, ValueError } from '../../autograd/errors.js';
import { checkArity, describe, isPlainObject, parseOptions, type Check, type OptionSpec, type Parsed } from '../../autograd/args.js';

/** A PyTorch signature: the names of its positional parameters in PyTorch's order, and the checks of every option. @internal */
export interface Signature<S extends OptionSpec> {
  /** The name shown in messages: `Linear`, `nn.F.conv2d`. */
  readonly op: string;
  /** Parameter names in PyTorch's positional order (after the leading tensors of a function). */
  readonly positional: readonly (keyof S & string)[];
  /** How many leading positional parameters are required (they may also come from the options). */
  readonly required?: number;
  /** The checks of every parameter, positional or keyword. */
  readonly spec: S;
  /** The accepted forms, shown when a call does not fit: `new nn.Linear(in, out, bias?, { bias, dtype, generator }?)`. */
  readonly forms: string;
}

/** Builds a signature (typed by its spec). @internal */
export function signature<S extends OptionSpec>(sig: Signature<S>): Signature<S> {
  return sig;
}

/**
 * Reads `args` against `sig`: positional values in PyTorch's order, then an optional options
 * object. A name given both ways, too many arguments, a missing required one, an unknown key or a
 * wrong value throws a typed error naming the op and the accepted forms. `undefined` means "not
 * given" (the default applies).
 * @internal
 */
export function parseArgs<S extends OptionSpec>(sig: Signature<S>, given: ArrayLike<unknown>): Parsed<S> {
  const { op, positional, spec, forms } = sig;
  const args = Array.from(given);
  let pos = args;
  let options: unknown;
  if (args.length > 0 && isPlainObject(args[args.length - 1])) {
    pos = args.slice(0, -1);
    options = args[args.length - 1];
  }
  checkArity(op, pos, positional.length, forms);
  const out = parseOptions(op, options, spec, { forms }) as Record<string, unknown>;
  pos.forEach((value, i) => {
    if (value === undefined) return;
    const name = positional[i]!;
    if (Object.hasOwn(out, name)) throw new ValueError(`${op}: ${name} given twice, as positional argument ${i + 1} and as an option`);
    out[name] = withForms(forms, () => spec[name]!(op, name, value));
  });
  for (let i = 0; i < (sig.required ?? 0); i++) {
    const name = positional[i]!;
    if (out[name] === undefined) throw new ArgumentTypeError(`${op}: missing argument ${name}; accepted forms: ${forms}`);
  }
  return out as Parsed<S>;
}

/** Runs a positional value's check, adding the accepted forms to a type error (wrong value in a place). */
function withForms<T>(forms: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ArgumentTypeError && !e.message.includes('accepted forms'))
      throw new ArgumentTypeError(`${e.message}; accepted forms: ${forms}`);
    throw e;
  }
}

/**
 * A PyTorch option tapegrad does not implement: its default value(s) are accepted (so ported code
 * that spells the default runs), anything else throws NotImplementedError naming it.
 * @internal
 */
export function unsupported(defaults: readonly unknown[], why = 'is not implemented in tapegrad'): Check<undefined> {
  return (op, key, v) => {
    if (defaults.includes(v)) return undefined;
    throw new NotImplementedError(`${op}: ${key} = ${describe(v)} ${why} (accepted: ${defaults.map(describe).join(', ')})`);
  };
}

/**
 * PyTorch's deprecated `size_average` / `reduce` loss arguments: `null` (their default) is
 * accepted, anything else is rejected with the `reduction` spelling, since PyTorch reads, for
 * example, `MSELoss('sum')` as a truthy `size_average` and averages.
 * @internal
 */
export const legacyReduction: Check<undefined> = (op, key, v) => {
  if (v === null) return undefined;
  throw new ValueError(
    `${op}: ${key} is PyTorch's deprecated size_average/reduce argument (PyTorch reads ${describe(v)} there as a flag, not as a reduction); ` +
      `pass the reduction as an option instead, e.g. { reduction: 'sum' }`,
  );
};

/**
 * A signature whose accepted forms are written out from its parts: `call(lead..., positional?...)`
 * or `call(lead..., required..., { options })`. `lead` names the leading tensors of a function.
 * @internal
 */
export function autoSignature<S extends OptionSpec>(
  op: string,
  call: string,
  positional: readonly (keyof S & string)[],
  spec: S,
  required = 0,
  lead: readonly string[] = [],
): Signature<S> {
  const shown = positional.map((p, i) => (i < required ? p : `${p}?`));
  const keys = Object.keys(spec).filter((k) => !positional.slice(0, required).includes(k));
  const head = [...lead, ...positional.slice(0, required)];
  const forms =
    positional.length === 0
      ? `${call}(${[...lead, `{ ${keys.join(', ')} }?`].join(', ')})`
      : `${call}(${[...lead, ...shown].join(', ')}) or ${call}(${[...head, `{ ${keys.join(', ')} }`].join(', ')})`;
  return { op, positional, required, spec, forms };
}
