/**
 * The signatures of the recurrent layers and cells (PyTorch's positional order and options).
 * @module
 */
import { bool, oneOf } from '../../autograd/args.js';
import { ValueError } from '../../autograd/errors.js';
import { signature, unsupported } from '../args/parse.js';
import { device, generator, paramDType, positiveInt, probability } from '../args/checks.js';

const nonlinearity = oneOf(['tanh', 'relu'] as const);

/** `nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')`, `nn.LSTMCell` / `nn.GRUCell(input_size, hidden_size, bias=True)`. @internal */
export function RNN_CELL_LAYER(op: string, withNonlinearity: boolean) {
  const spec = {
    inputSize: positiveInt,
    hiddenSize: positiveInt,
    bias: bool,
    dtype: paramDType,
    generator,
    device,
    ...(withNonlinearity ? { nonlinearity } : {}),
  };
  return signature({
    op,
    positional: withNonlinearity ? ['inputSize', 'hiddenSize', 'bias', 'nonlinearity'] : ['inputSize', 'hiddenSize', 'bias'],
    required: 2,
    spec: spec,
    forms: `new nn.${op}(inputSize, hiddenSize, bias?${withNonlinearity ? ', nonlinearity?' : ''}) or new nn.${op}(inputSize, hiddenSize, { bias, ${withNonlinearity ? 'nonlinearity, ' : ''}dtype, generator, device })`,
  });
}

/**
 * `nn.RNN/LSTM/GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0, bidirectional=False)`;
 * LSTM's `proj_size` is accepted only at its default 0; `nonlinearity` is RNN's.
 * @internal
 */
export function RNN_LAYER(op: 'RNN' | 'LSTM' | 'GRU') {
  const spec = {
    inputSize: positiveInt,
    hiddenSize: positiveInt,
    numLayers: positiveInt,
    bias: bool,
    batchFirst: bool,
    dropout: probability,
    bidirectional: bool,
    dtype: paramDType,
    generator,
    device,
    ...(op === 'RNN' ? { nonlinearity } : {}),
    ...(op === 'LSTM' ? { projSize: unsupported([0]) } : {}),
  };
  const positional = [
    'inputSize',
    'hiddenSize',
    'numLayers',
    'bias',
    'batchFirst',
    'dropout',
    'bidirectional',
    ...(op === 'LSTM' ? ['projSize'] : []),
  ];
  return signature({
    op,
    positional: positional as Extract<keyof typeof spec, string>[],
    required: 2,
    spec: spec,
    forms:
      `new nn.${op}(inputSize, hiddenSize, numLayers?, ${op === 'RNN' ? 'nonlinearity?, ' : ''}bias?, batchFirst?, dropout?, bidirectional?) ` +
      `or new nn.${op}(inputSize, hiddenSize, { numLayers, ${op === 'RNN' ? 'nonlinearity, ' : ''}bias, batchFirst, dropout, bidirectional, dtype, generator, device })`,
  });
}

/**
 * RNN's positional arguments in PyTorch 1.x order: PyTorch 2.x reads a string fourth argument as the
 * nonlinearity (`nn.RNN(10, 20, 2, 'relu')`), which is moved into the options here.
 * @internal
 */
export function rnnPositional(args: readonly unknown[]): unknown[] {
  if (typeof args[3] !== 'string') return args.slice();
  const rest = args.slice(4);
  const last = rest[rest.length - 1];
  const isOptions = last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype;
  const options = isOptions ? { ...last, nonlinearity: args[3] } : { nonlinearity: args[3] };
  if (isOptions && Object.hasOwn(last, 'nonlinearity'))
    throw new ValueError('RNN: nonlinearity given twice, as positional argument 4 and as an option');
  return [...args.slice(0, 3), ...(isOptions ? rest.slice(0, -1) : rest), options];
}
