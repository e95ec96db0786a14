/**
 * The signatures of `Module`'s methods that take arguments (PyTorch's positional forms and options).
 * @module
 */
import { bool, fn, isPlainObject, str } from '../autograd/args.js';
import type { DType } from '../autograd/dtype.js';
import { ArgumentTypeError } from '../autograd/errors.js';
import { Tensor } from '../autograd/tensor.js';
import { autoSignature, parseArgs, unsupported } from './args/parse.js';
import { device } from './args/checks.js';

const method = <S extends Parameters<typeof autoSignature>[3]>(
  name: string,
  positional: readonly (keyof S & string)[],
  spec: S,
  required = 0,
  lead: string[] = [],
) => autoSignature(`Module.${name}`, `module.${name}`, positional, spec, required, lead);

/** The signatures of Module's methods. @internal */
export const MODULE = {
  train: method('train', ['mode'], { mode: bool }),
  noArgs: (name: string) => method(name, [], {}),
  zeroGrad: method('zeroGrad', ['setToNone'], { setToNone: bool }),
  requiresGrad_: method('requiresGrad_', ['requiresGrad'], { requiresGrad: bool }),
  apply: method('apply', ['fn'], { fn }, 1),
  recurse: (name: string) => method(name, ['recurse'], { recurse: bool }),
  named: (name: string) => method(name, ['prefix', 'recurse', 'removeDuplicate'], { prefix: str, recurse: bool, removeDuplicate: bool }),
  namedModules: method('namedModules', ['prefix'], { prefix: str, removeDuplicate: unsupported([true]) }),
  registerBuffer: method('registerBuffer', ['persistent'], { persistent: bool }, 0, ['name', 'tensor']),
  registerForwardHook: method(
    'registerForwardHook',
    ['hook'],
    { hook: fn, prepend: bool, withKwargs: unsupported([false]), alwaysCall: unsupported([false]) },
    1,
  ),
  loadStateDict: method('loadStateDict', ['strict', 'assign'], { strict: bool, assign: unsupported([false]) }, 0, ['stateDict']),
};

/**
 * `namedParameters` / `namedBuffers` arguments: PyTorch's `(prefix, recurse, removeDuplicate)`, or
 * tapegrad's earlier `(recurse)` with a boolean first.
 * @internal
 */
export function namedArgs(name: string, args: readonly unknown[]): { prefix: string; recurse: boolean; removeDuplicate: boolean } {
  const o = typeof args[0] === 'boolean' ? parseArgs(MODULE.recurse(name), args) : parseArgs(MODULE.named(name), args);
  const p = o as { prefix?: string; recurse?: boolean; removeDuplicate?: boolean };
  return { prefix: p.prefix ?? '', recurse: p.recurse ?? true, removeDuplicate: p.removeDuplicate ?? true };
}

/** PyTorch's device names (`'cpu'`, `'cuda:0'`, `'mps'`, ...), to tell a device from a dtype in `to(x)`. */
const DEVICE = /^(cpu|cuda|mps|meta|xpu|xla|hip|ipu|vulkan|mkldnn|mtia)(:\d+)?$/;

const TO = method('to', ['device', 'dtype', 'nonBlocking'], { device, dtype: str, nonBlocking: bool });

/**
 * The dtype `Module.to` converts to, or null for none: PyTorch's `to(dtype)`, `to(tensor)` (its
 * dtype), `to(device)` ('cpu' only: everything already lives there), `to(device, dtype)` or an
 * options object.
 * @internal
 */
export function toTarget(args: readonly unknown[]): DType | null {
  const [first] = args;
  if (first instanceof Tensor) {
    if (args.length > 1) throw new ArgumentTypeError(`Module.to: too many arguments after a tensor; accepted forms: ${TO.forms}`);
    return first.dtype;
  }
  const isDtype = typeof first === 'string' && !DEVICE.test(first);
  if (isDtype && args.length === 1) return first as DType;
  if (isDtype && isPlainObject(args[1])) return parseArgs(TO, [undefined, first, args[1]]).dtype as DType;
  return (parseArgs(TO, args).dtype as DType | undefined) ?? null;
}
