import { afterAll, describe, it } from 'vitest';
import { manualSeed, nn, randn } from '../../src/index.js';
import { checkInOrt, seen } from './ort.js';

afterAll(() => console.log('max abs differences:', JSON.stringify(seen)));

describe('onnx export runs in ONNX Runtime', () => {
  it('Linear', async () => {
    manualSeed(1);
    await checkInOrt('Linear', new nn.Linear(5, 3), [randn([4, 5])]);
    await checkInOrt('Linear 3-d', new nn.Linear(5, 3), [randn([2, 4, 5])]);
  });
  it('MLP with activations', async () => {
    manualSeed(2);
    const m = new nn.Sequential(
      new nn.Linear(6, 8),
      new nn.ReLU(),
      new nn.Linear(8, 8),
      new nn.Tanh(),
      new nn.Linear(8, 4),
      new nn.Softmax(1),
    );
    await checkInOrt('MLP', m, [randn([3, 6])]);
  });
});
