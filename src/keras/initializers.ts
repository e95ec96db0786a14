/**
 * Keras weight initializers. Fans follow Keras' kernel layout `[inputDim, units]`: fanIn is the
 * first dim, fanOut the last, times the receptive field for higher-rank kernels.
 * @module
 */
import { checkArity } from '../autograd/args.js';
import { ValueError, fmtShape } from '../autograd/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../autograd/tensor.js';
import * as init from '../nn/init.js';
import { resolveName, type SnakeCase } from './names.js';

/** Initializer names (snake_case spellings such as `glorot_uniform` are accepted too). */
export type InitializerName =
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'lecunUniform'
  | 'lecunNormal'
  | 'zeros'
  | 'ones'
  | 'randomUniform'
  | 'randomNormal'
  | 'truncatedNormal';

/** An initializer name in either spelling (`glorotUniform` or `glorot_uniform`). */
export type InitializerIdentifier = InitializerName | SnakeCase<InitializerName>;

const NAMES: readonly InitializerName[] = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'zeros',
  'ones',
  'randomUniform',
  'randomNormal',
  'truncatedNormal',
];

const ALIASES: Record<string, InitializerName> = {
  xavierUniform: 'glorotUniform',
  xavierNormal: 'glorotNormal',
  kaimingUniform: 'heUniform',
  kaimingNormal: 'heNormal',
  zero: 'zeros',
  one: 'ones',
};

/** std of N(0, 1) truncated to [-2, 2], used by Keras to keep the variance of truncated initializers. */
const TRUNC_STD = 0.87962566103423978;

/** Keras fans of a kernel: `[in, out]` for 2-d, receptive field × channels for conv kernels. @internal */
function kerasFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i]!;
  return { fanIn: receptive * shape[shape.length - 2]!, fanOut: receptive * shape[shape.length - 1]! };
}

/**
 * The canonical name of an initializer (`'glorot_uniform'` → `'glorotUniform'`).
 * @example
 * ```ts
 * keras.initializerName('he_normal'); // 'heNormal'
 * ```
 */
export function initializerName(name: string): InitializerName {
  checkArity('keras.initializerName', arguments, 1, 'initializerName(name)');
  return resolveName('initializer', name, NAMES, ALIASES);
}

function truncated(t: Tensor, std: number): void {
  init.truncNormal_(t, { std, a: -2 * std, b: 2 * std });
}

/**
 * Fills `t` in place with the Keras initializer `name` (drawing from the global generator seeded by
 * `manualSeed`) and returns it. `glorotUniform` is U(-l, l) with l = √(6 / (fanIn + fanOut));
 * `he*` use √(2 / fanIn), `lecun*` √(1 / fanIn); the `*Normal` ones are truncated at two standard
 * deviations like Keras; `randomUniform` is U(-0.05, 0.05), `randomNormal` N(0, 0.05²).
 * @example
 * ```ts
 * const k = keras.initialize(zeros([784, 10]), 'glorotUniform');
 * ```
 */
export function initialize(t: Tensor, name: InitializerName | (string & Record<never, never>)): Tensor {
  checkArity('keras.initialize', arguments, 2, 'initialize(tensor, name)');
  const which = initializerName(name);
  const { fanIn, fanOut } = kerasFans(t.shape);
  if (t.numel() > 0 && (fanIn === 0 || fanOut === 0))
    throw new ValueError(`keras.initialize: cannot compute fans of a kernel of shape ${fmtShape(t.shape)}`);
  noGrad(() => {
    switch (which) {
      case 'glorotUniform': {
        const l = Math.sqrt(6 / (fanIn + fanOut));
        init.uniform_(t, -l, l);
        break;
      }
      case 'glorotNormal':
        truncated(t, Math.sqrt(2 / (fanIn + fanOut)) / TRUNC_STD);
        break;
      case 'heUniform': {
        const l = Math.sqrt(6 / fanIn);
        init.uniform_(t, -l, l);
        break;
      }
      case 'heNormal':
        truncated(t, Math.sqrt(2 / fanIn) / TRUNC_STD);
        break;
      case 'lecunUniform': {
        const l = Math.sqrt(3 / fanIn);
        init.uniform_(t, -l, l);
        break;
      }
      case 'lecunNormal':
        truncated(t, Math.sqrt(1 / fanIn) / TRUNC_STD);
        break;
      case 'zeros':
        t.zero_();
        break;
      case 'ones':
        t.fill_(1);
        break;
      case 'randomUniform':
        init.uniform_(t, -0.05, 0.05);
        break;
      case 'randomNormal':
        init.normal_(t, 0, 0.05);
        break;
      case 'truncatedNormal':
        truncated(t, 0.05);
        break;
    }
  });
  return t;
}
