/**
 * The signatures of the losses: PyTorch's positional order (including the deprecated
 * `size_average` / `reduce` slots, accepted only as null) and the option checks, shared by the loss
 * modules and the `nn.F` loss functions.
 * @module
 */
import { bool, num, type OptionSpec } from '../../autograd/args.js';
import { legacyReduction, parseArgs, type Signature } from '../args/parse.js';
import { finite, integer, klReduction, nonNegative, probability, reduction, tensorOrNull } from '../args/checks.js';

const legacy = { sizeAverage: legacyReduction, reduce: legacyReduction } as const;

/** Each loss's PyTorch positional order (after its tensors) and its option checks. @internal */
const LOSSES = {
  mseLoss: { module: 'MSELoss', positional: ['sizeAverage', 'reduce', 'reduction'], spec: { ...legacy, reduction } },
  l1Loss: { module: 'L1Loss', positional: ['sizeAverage', 'reduce', 'reduction'], spec: { ...legacy, reduction } },
  huberLoss: { module: 'HuberLoss', positional: ['reduction', 'delta'], spec: { reduction, delta: num({ min: 0, minExclusive: true }) } },
  smoothL1Loss: {
    module: 'SmoothL1Loss',
    positional: ['sizeAverage', 'reduce', 'reduction', 'beta'],
    spec: { ...legacy, reduction, beta: nonNegative },
  },
  binaryCrossEntropy: {
    module: 'BCELoss',
    positional: ['weight', 'sizeAverage', 'reduce', 'reduction'],
    spec: { weight: tensorOrNull, ...legacy, reduction },
  },
  binaryCrossEntropyWithLogits: {
    module: 'BCEWithLogitsLoss',
    positional: ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'],
    spec: { weight: tensorOrNull, ...legacy, reduction, posWeight: tensorOrNull },
  },
  nllLoss: {
    module: 'NLLLoss',
    positional: ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'],
    spec: { weight: tensorOrNull, ...legacy, ignoreIndex: integer, reduction },
  },
  crossEntropy: {
    module: 'CrossEntropyLoss',
    positional: ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing'],
    spec: { weight: tensorOrNull, ...legacy, ignoreIndex: integer, reduction, labelSmoothing: probability },
  },
  klDiv: {
    module: 'KLDivLoss',
    positional: ['sizeAverage', 'reduce', 'reduction', 'logTarget'],
    spec: { ...legacy, reduction: klReduction, logTarget: bool },
  },
  cosineEmbeddingLoss: {
    module: 'CosineEmbeddingLoss',
    positional: ['margin', 'sizeAverage', 'reduce', 'reduction'],
    spec: { margin: finite, ...legacy, reduction },
  },
  marginRankingLoss: {
    module: 'MarginRankingLoss',
    positional: ['margin', 'sizeAverage', 'reduce', 'reduction'],
    spec: { margin: finite, ...legacy, reduction },
  },
} as const;

/** The name of a loss function in `nn.F`. @internal */
export type LossName = keyof typeof LOSSES;

type SpecOf<K extends LossName> = (typeof LOSSES)[K]['spec'];

const LEADS: Partial<Record<LossName, string[]>> = {
  cosineEmbeddingLoss: ['input1', 'input2', 'target'],
  marginRankingLoss: ['input1', 'input2', 'target'],
};

function formsOf(call: string, lead: readonly string[], name: LossName): string {
  const { positional, spec } = LOSSES[name];
  const shown = positional.filter((p) => p !== 'sizeAverage' && p !== 'reduce');
  const keys = Object.keys(spec).filter((k) => k !== 'sizeAverage' && k !== 'reduce');
  const first = positional[0] === 'sizeAverage' ? [] : [`${positional[0]}?`];
  return `${call}(${[...lead, ...first, `{ ${keys.join(', ')} }?`].join(', ')}) (PyTorch's positional order: ${shown.join(', ')}, with the deprecated sizeAverage/reduce slots null)`;
}

function sigOf<K extends LossName>(name: K, asModule: boolean): Signature<SpecOf<K>> {
  const entry = LOSSES[name];
  const call = asModule ? `new nn.${entry.module}` : `nn.F.${name}`;
  const lead = asModule ? [] : (LEADS[name] ?? ['input', 'target']);
  return {
    op: asModule ? entry.module : `nn.F.${name}`,
    positional: entry.positional as never,
    spec: entry.spec,
    forms: formsOf(call, lead, name),
  };
}

const cache = new Map<string, Signature<OptionSpec>>();

/** Parses a loss's arguments (after its tensors), as the module (`asModule`) or as the `nn.F` function. @internal */
export function parseLoss<K extends LossName>(name: K, args: readonly unknown[], asModule = false) {
  const key = `${name}:${asModule}`;
  let sig = cache.get(key);
  if (!sig) cache.set(key, (sig = sigOf(name, asModule) as unknown as Signature<OptionSpec>));
  return parseArgs(sig as unknown as Signature<SpecOf<K>>, args);
}
