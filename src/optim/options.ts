/**
 * How optimizers read their arguments: PyTorch's positional hyperparameters (in PyTorch's order),
 * an options object, or both (`new SGD(params, 0.1, { momentum: 0.9 })`), each checked against one
 * spec per optimizer that also checks parameter groups and `addParamGroup`.
 * @module
 */
import {
  arrayOf,
  bool,
  notImplemented,
  nullable,
  num,
  parsePositional,
  type Check,
  type OptionSpec,
  type PositionalArgs,
} from '../autograd/args.js';

export type { PositionalArgs, Prefixes } from '../autograd/args.js';

/** A number >= 0. @internal */
export const nonNegative: Check<number> = num({ min: 0 });

/** A number in [0, 1) (a decay rate such as β1). @internal */
const unitInterval: Check<number> = num({ min: 0, max: 1, maxExclusive: true });

/** A number in [0, 1] (a smoothing constant such as RMSprop's α). @internal */
export const closedUnitInterval: Check<number> = num({ min: 0, max: 1 });

/** A pair [β1, β2], each in [0, 1). @internal */
export const betasPair = arrayOf(unitInterval, 2) as Check<[number, number]>;

/** An integer >= 1. @internal */
export const positiveInteger: Check<number> = num({ min: 1, integer: true });

/**
 * PyTorch's options that choose an implementation rather than the update: `foreach` (accepted: it
 * picks between implementations that compute the same update, and tapegrad has one), and
 * `differentiable`, `capturable`, `fused` (only their defaults are accepted: tapegrad's steps are
 * not recorded by autograd, and there are no CUDA graphs or fused CUDA kernels). They are not
 * stored in the parameter groups. @internal
 */
const IMPLEMENTATION_FLAGS = {
  foreach: nullable(bool),
  differentiable: notImplemented([false], "the optimizer's step is not recorded by autograd"),
  capturable: notImplemented([false], 'CUDA graphs do not exist in tapegrad'),
  fused: notImplemented([false, null], 'there is no fused CUDA kernel in tapegrad'),
} satisfies OptionSpec;

/**
 * The arguments an optimizer takes after `params`, as in PyTorch: its leading hyperparameters
 * positionally (any prefix of `P`, in PyTorch's order), optionally followed by an options object.
 * @example
 * ```ts
 * type A = OptimizerArgs<[lr: number, momentum: number], SGDOptions>;
 * // [] | [lr] | [lr, momentum] | [options] | [lr, options] | [lr, momentum, options]
 * ```
 */
export type OptimizerArgs<P extends unknown[], O> = PositionalArgs<P, OptimizerCallOptions<O>>;

/**
 * An optimizer's options object: any of its options, and PyTorch's implementation flags.
 * @example
 * ```ts
 * const o: OptimizerCallOptions<AdamOptions> = { lr: 1e-3, foreach: true };
 * ```
 */
export type OptimizerCallOptions<O> = Partial<O> & {
  /** PyTorch's choice of a multi-tensor implementation: accepted (true, false or null); the update is the same. */
  foreach?: boolean | null;
  /** Record the step for autograd: only false is accepted. */
  differentiable?: boolean;
  /** CUDA-graph capture: only false is accepted. */
  capturable?: boolean;
  /** A fused CUDA kernel: only false (or null) is accepted. */
  fused?: boolean | null;
};

/**
 * Reads an optimizer's arguments after `params`: positional values named by `positional`, then an
 * optional options object, checked against `spec` plus, unless `withFlags` is false (L-BFGS has
 * none in PyTorch), the implementation flags (which are dropped). Returns the given options only; the caller merges them into its defaults.
 * @internal
 */
export function readOptimizerArgs(
  name: string,
  args: readonly unknown[],
  positional: readonly string[],
  spec: OptionSpec,
  withFlags = true,
): Record<string, unknown> {
  const keys = Object.keys(spec).join(', ');
  const forms = `new ${name}(params, ${positional.join(', ')}) with any leading part in PyTorch's order, new ${name}(params, { ${keys} }), or both: new ${name}(params, ${positional[0]}, { ... })`;
  const fullSpec: OptionSpec = withFlags ? { ...spec, ...IMPLEMENTATION_FLAGS } : spec;
  const parsed = parsePositional(name, args, positional, fullSpec, { forms }) as Record<string, unknown>;
  for (const flag of Object.keys(IMPLEMENTATION_FLAGS)) delete parsed[flag];
  return parsed;
}

/**
 * Checks a parameter group's options (the defaults, a user's group merged with the defaults, or a
 * loaded group) against `spec`: every key of the spec the group has. @internal
 */
export function checkGroupOptions(name: string, spec: OptionSpec, group: object): void {
  const g = group as Record<string, unknown>;
  for (const [key, check] of Object.entries(spec)) if (Object.hasOwn(g, key)) check(name, key, g[key]);
}
