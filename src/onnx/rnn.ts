/**
 * The recurrent layers (RNN, LSTM, GRU) as ONNX's RNN/LSTM/GRU operators, one node per layer.
 * The initializers stay the layers' own PyTorch-layout weights; the graph reorders the gates
 * (PyTorch's LSTM i,f,g,o → ONNX's i,o,f,c; GRU r,z,n → z,r,h with linear_before_reset) and
 * stacks the directions, which ONNX Runtime folds once when the session is created.
 * @module
 */
import type { Tensor } from '../autograd/tensor.js';
import { RNNBase } from '../nn/layers/rnn.js';
import type { GraphBuilder, Value } from './graph.js';
import type { AttrValue } from './proto.js';
import { memberOf, type ModuleCall, type ModuleConverter } from './modules.js';

/** ONNX gate order as indices into PyTorch's gate blocks. */
const GATE_ORDER = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnnTanh: [0], rnnRelu: [0] } as const;

/** `name` [G·H, …] with its gate blocks of H rows put in ONNX order. */
function reorderGates(g: GraphBuilder, name: string, hidden: number, order: readonly number[]): string {
  if (order.length === 1) return name;
  const parts = g.node('Split', [name, g.int64s(order.map(() => hidden))], { axis: { int: 0 } }, order.length);
  return g.op(
    'Concat',
    order.map((i) => parts[i]!),
    { axis: { int: 0 } },
  );
}

/** Stacks per-direction tensors on a new leading axis. */
function stackDirections(g: GraphBuilder, names: readonly string[]): string {
  const axes = g.int64s([0]);
  const lifted = names.map((n) => g.op('Unsqueeze', [n, axes]));
  return lifted.length === 1 ? lifted[0]! : g.op('Concat', lifted, { axis: { int: 0 } });
}

/** Rows [from, from + count) of a state [L·D, N, H]. */
function stateRows(g: GraphBuilder, state: string, from: number, count: number): string {
  return g.op('Slice', [state, g.int64s([from]), g.int64s([from + count]), g.int64s([0])]);
}

/** The converter of nn.RNN, nn.LSTM and nn.GRU (eval mode: no dropout between layers). @internal */
export const recurrent: ModuleConverter = (c: ModuleCall): Value[] => {
  const m = c.module as RNNBase;
  const g = c.g;
  const mode = m.mode;
  const d = m.bidirectional ? 2 : 1;
  const h = m.hiddenSize;
  const input = c.inputs[0]!;
  const batched = input.ndim === 3;
  const inputValue = c.ins[0]!;
  // Layout [T, N, in]: batch-first input is transposed, an unbatched one gets N = 1.
  let xs = !batched
    ? g.op('Unsqueeze', [inputValue.name, g.int64s([1])])
    : m.batchFirst
      ? g.op('Transpose', [inputValue.name], { perm: { ints: [1, 0, 2] } })
      : inputValue.name;
  const state = c.args[1] as Tensor | [Tensor, Tensor] | null | undefined;
  const stateValue = (t: Tensor | undefined): string | null => {
    if (t === undefined) return null;
    const v = c.valueOf(t).name;
    return batched ? v : g.op('Unsqueeze', [v, g.int64s([1])]);
  };
  const h0 = state ? stateValue(Array.isArray(state) ? state[0] : state) : null;
  const c0 = state && Array.isArray(state) ? stateValue(state[1]) : null;
  const opType = mode === 'lstm' ? 'LSTM' : mode === 'gru' ? 'GRU' : 'RNN';
  const order = GATE_ORDER[mode];
  const hs: string[] = [];
  const cs: string[] = [];
  for (let layer = 0; layer < m.numLayers; layer++) {
    const w: string[] = [],
      r: string[] = [],
      b: string[] = [];
    for (let dir = 0; dir < d; dir++) {
      const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
      const param = (n: string): Tensor | null => memberOf(m, `${n}${sfx}`);
      w.push(reorderGates(g, c.valueOf(param('weight_ih')!).name, h, order));
      r.push(reorderGates(g, c.valueOf(param('weight_hh')!).name, h, order));
      const bih = param('bias_ih');
      const bhh = param('bias_hh');
      if (bih !== null && bhh !== null) {
        b.push(
          g.op('Concat', [reorderGates(g, c.valueOf(bih).name, h, order), reorderGates(g, c.valueOf(bhh).name, h, order)], {
            axis: { int: 0 },
          }),
        );
      }
    }
    const inputs = [xs, stackDirections(g, w), stackDirections(g, r), b.length > 0 ? stackDirections(g, b) : '', ''];
    inputs.push(h0 === null ? '' : stateRows(g, h0, layer * d, d));
    if (mode === 'lstm') inputs.push(c0 === null ? '' : stateRows(g, c0, layer * d, d));
    while (inputs[inputs.length - 1] === '') inputs.pop();
    const attrs: Record<string, AttrValue> = {
      hidden_size: { int: h },
      direction: { string: d === 2 ? 'bidirectional' : 'forward' },
    };
    if (mode === 'gru') attrs['linear_before_reset'] = { int: 1 };
    if (mode === 'rnnRelu') attrs['activations'] = { strings: new Array<string>(d).fill('Relu') };
    const outputs = g.node(opType, inputs, attrs, mode === 'lstm' ? 3 : 2);
    // Y [T, D, N, H] → [T, N, D·H]; 0 copies T and N, which may be dynamic.
    const y = g.op('Transpose', [outputs[0]!], { perm: { ints: [0, 2, 1, 3] } });
    xs = g.op('Reshape', [y, g.int64s([0, 0, d * h])]);
    hs.push(outputs[1]!);
    if (mode === 'lstm') cs.push(outputs[2]!);
  }
  const concat = (names: string[]): string =>
    names.length === 1 ? g.op('Identity', [names[0]!]) : g.op('Concat', names, { axis: { int: 0 } });
  let output = xs;
  let hN = concat(hs);
  let cN = mode === 'lstm' ? concat(cs) : null;
  const squeeze1 = (n: string): string => g.op('Squeeze', [n, g.int64s([1])]);
  if (!batched) {
    output = squeeze1(output);
    hN = squeeze1(hN);
    cN = cN && squeeze1(cN);
  } else if (m.batchFirst) {
    output = g.op('Transpose', [output], { perm: { ints: [1, 0, 2] } });
  }
  // The dynamic axis of the input is its batch (N) or its time (T) axis; the states have N at 1 and no T.
  const a = batched ? inputValue.batchAxis : null;
  const nAxis = m.batchFirst ? 0 : 1;
  const stateAxis = a === nAxis ? 1 : null;
  const out: Value[] = [
    { name: output, batchAxis: a },
    { name: hN, batchAxis: stateAxis },
  ];
  if (cN !== null) out.push({ name: cN, batchAxis: stateAxis });
  return out;
};
