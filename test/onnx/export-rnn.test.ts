// RNN, LSTM and GRU as ONNX's RNN/LSTM/GRU operators (gates reordered in the graph), in ONNX Runtime.
import { afterAll, describe, expect, it } from 'vitest';
import { manualSeed, nn, onnx, randn } from '../../src/index.js';
import { decodeModel } from './decode.js';
import { checkInOrt, seen } from './ort.js';

afterAll(() => console.log('max abs differences (rnn):', JSON.stringify(seen)));

const VARIANTS = [
  { label: '', options: {} },
  { label: ' 2 layers bidirectional', options: { numLayers: 2, bidirectional: true } },
  { label: ' batch-first 2 layers', options: { numLayers: 2, batchFirst: true } },
  { label: ' batch-first bidirectional no bias', options: { batchFirst: true, bidirectional: true, bias: false } },
] as const;

describe('recurrent layers in ONNX Runtime', () => {
  for (const [name, make] of [
    ['RNN', (o: object) => new nn.RNN(3, 5, o)],
    ['RNN relu', (o: object) => new nn.RNN(3, 5, { ...o, nonlinearity: 'relu' })],
    ['LSTM', (o: object) => new nn.LSTM(3, 5, o)],
    ['GRU', (o: object) => new nn.GRU(3, 5, o)],
  ] as const) {
    it(`${name}: output and final states`, async () => {
      manualSeed(20);
      for (const { label, options } of VARIANTS) {
        const m = make(options);
        const batchFirst = 'batchFirst' in options;
        await checkInOrt(name + label, m, [randn(batchFirst ? [2, 6, 3] : [6, 2, 3])]);
      }
    });
  }

  it('initial states and unbatched input', async () => {
    manualSeed(21);
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const x = randn([5, 2, 3]);
    const h0 = randn([4, 2, 4]);
    const c0 = randn([4, 2, 4]);
    class WithState extends nn.Module<[typeof x, typeof h0, typeof c0], unknown> {
      lstm = lstm;
      forward(a: typeof x, h: typeof h0, c: typeof c0): unknown {
        return this.lstm.call(a, [h, c]);
      }
    }
    await checkInOrt('LSTM initial state', new WithState(), [x, h0, c0]);
    const gru = new nn.GRU(3, 4, { numLayers: 2 });
    class GruState extends nn.Module<[typeof x, typeof h0], unknown> {
      gru = gru;
      forward(a: typeof x, h: typeof h0): unknown {
        return this.gru.call(a, h);
      }
    }
    await checkInOrt('GRU initial state', new GruState(), [x, randn([2, 2, 4])]);
    await checkInOrt('GRU unbatched', new nn.GRU(3, 4, { bidirectional: true }), [randn([5, 3])]);
  });

  it('uses the ONNX LSTM operator with the state-dict names as initializers', () => {
    manualSeed(22);
    const m = new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true });
    const model = decodeModel(onnx.toBytes(m, randn([4, 2, 3])));
    expect(model.opTypes.filter((t) => t === 'LSTM')).toHaveLength(2);
    expect(model.initializers.filter((n) => !n.startsWith('const_')).sort()).toEqual(Object.keys(m.stateDict()).sort());
    expect(model.outputs.map((o) => o.name)).toEqual(['output', 'hN', 'cN']);
  });
});
