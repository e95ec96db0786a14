/**
 * nn.summary: the table of a model from a traced forward. Parameter counts, shapes and byte sizes
 * are computed by hand in the comments; the layout follows torchinfo (name column 40, others 25).
 */
import { describe, expect, it } from 'vitest';
import { Tensor, nn, tensor, zeros } from '../../src/index.js';

class Capture {
  text = '';
  write(s: string): void {
    this.text += s;
  }
}

const seedModel = (): nn.Sequential =>
  new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU(), new nn.Linear(10, 10), new nn.ReLU(), new nn.Linear(10, 10));

describe('nn.summary', () => {
  it('summarises the seed MLP with hand-computed counts, shapes and memory', () => {
    const out = new Capture();
    const s = nn.summary(seedModel(), [1, 784], { stream: out });
    expect(out.text).toBe(`${s.text}\n`);
    expect(String(s)).toBe(s.text);
    // 784·10 + 10 = 7850; 10·10 + 10 = 110 twice: 8070.
    expect(s.layers.map((l) => [l.type, l.depth, l.index, l.numParams, l.trainable, l.outputShapes])).toEqual([
      ['Sequential', 0, '', 0, '--', [[1, 10]]],
      ['Linear', 1, '1-1', 7850, 'True', [[1, 10]]],
      ['ReLU', 1, '1-2', 0, '--', [[1, 10]]],
      ['Linear', 1, '1-3', 110, 'True', [[1, 10]]],
      ['ReLU', 1, '1-4', 0, '--', [[1, 10]]],
      ['Linear', 1, '1-5', 110, 'True', [[1, 10]]],
    ]);
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([8070, 8070, 0]);
    // Input 784 float32 = 3136 B; five leaf outputs of 10 floats = 200 B, twice = 400 B; params 8070·4 = 32280 B.
    expect([s.inputBytes, s.forwardBackwardBytes, s.paramBytes, s.totalBytes]).toEqual([3136, 400, 32280, 35816]);
    const lines = s.text.split('\n');
    const rule = '='.repeat(40 + 25 * 3);
    expect(lines[0]).toBe(rule);
    expect(lines[1]).toBe(`${'Layer (type:depth-idx)'.padEnd(40)}${'Output Shape'.padEnd(25)}${'Param #'.padEnd(25)}Trainable`);
    expect(lines[4]).toBe(`${'├─Linear: 1-1'.padEnd(40)}${'[1, 10]'.padEnd(25)}${'7,850'.padEnd(25)}True`);
    expect(lines[5]).toBe(`${'├─ReLU: 1-2'.padEnd(40)}${'[1, 10]'.padEnd(25)}${'--'.padEnd(25)}--`);
    expect(lines).toContain('Total params: 8,070');
    expect(lines).toContain('Params size (MB): 0.03');
    expect(lines).toContain('Estimated Total Size (MB): 0.04');
  });

  it('shows the tree to a depth, folds deeper parameters into the shown ancestor, and reports partial training', () => {
    class Net extends nn.Module<[Tensor], Tensor> {
      enc = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh());
      head = new nn.Linear(8, 2);
      forward(x: Tensor): Tensor {
        return this.head.forward(this.enc.call(x)); // forward called directly is traced too
      }
    }
    const net = new Net();
    net.head.weight.requiresGrad_(false);
    const deep = nn.summary(net, [3, 4], { print: false, columns: ['inputShape', 'outputShape', 'numParams'] });
    // enc.0: 4·8 + 8 = 40; head: 8·2 + 2 = 18 of which the 16 weights are frozen.
    expect(deep.layers.map((l) => [l.name, l.index, l.inputShapes, l.outputShapes, l.numParams, l.trainable])).toEqual([
      ['', '', [[3, 4]], [[3, 2]], 0, '--'],
      ['enc', '1-1', [[3, 4]], [[3, 8]], 0, '--'],
      ['enc.0', '2-1', [[3, 4]], [[3, 8]], 40, 'True'],
      ['enc.1', '2-2', [[3, 8]], [[3, 8]], 0, '--'],
      ['head', '1-2', [[3, 8]], [[3, 2]], 18, 'Partial'],
    ]);
    expect(deep.text).toContain(`${'│    └─Linear: 2-1'.padEnd(40)}${'[3, 4]'.padEnd(25)}${'[3, 8]'.padEnd(25)}40`);
    expect([deep.totalParams, deep.trainableParams, deep.nonTrainableParams]).toEqual([58, 42, 16]);
    const shallow = nn.summary(net, [3, 4], { print: false, depth: 1 });
    expect(shallow.layers.map((l) => [l.name, l.numParams])).toEqual([
      ['', 0],
      ['enc', 40],
      ['head', 18],
    ]);
    expect(nn.summary(net, [3, 4], { print: false, depth: 0 }).layers.map((l) => l.numParams)).toEqual([58]);
  });

  it('counts a module used twice once', () => {
    const shared = new nn.Linear(3, 3);
    const net = new nn.Sequential(shared, new nn.ReLU(), shared);
    const s = nn.summary(net, [2, 3], { print: false });
    expect(s.totalParams).toBe(12); // 3·3 + 3
    expect(s.layers.filter((l) => l.type === 'Linear')).toHaveLength(1);
  });

  it('takes example tensors, several inputs, and int32 inputs for embeddings', () => {
    const bil = nn.summary(new nn.Bilinear(3, 4, 5), [zeros([2, 3]), zeros([2, 4])], { print: false });
    expect(bil.totalParams).toBe(3 * 4 * 5 + 5);
    expect(bil.layers[0]!.outputShapes).toEqual([[2, 5]]);
    expect(bil.inputBytes).toBe((6 + 8) * 4);
    const bilShapes = nn.summary(
      new nn.Bilinear(3, 4, 5),
      [
        [2, 3],
        [2, 4],
      ],
      { print: false, dtypes: 'float64' },
    );
    expect(bilShapes.inputBytes).toBe((6 + 8) * 8);
    const emb = nn.summary(new nn.Embedding(10, 3), [2, 4], { print: false, dtypes: 'int32' });
    expect(emb.layers[0]!.outputShapes).toEqual([[2, 4, 3]]);
    expect(emb.totalParams).toBe(30);
    const one = nn.summary(new nn.Linear(2, 1), tensor([[1, 2]]), { print: false });
    expect(one.layers[0]!.outputShapes).toEqual([[1, 1]]);
  });

  it('runs in eval mode by default and restores modes and forward methods, even when forward throws', () => {
    const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5));
    let seen: boolean | null = null;
    net.at(1).registerForwardHook((m) => {
      seen = m.training;
    });
    nn.summary(net, [1, 2], { print: false });
    expect(seen).toBe(false);
    expect(net.training).toBe(true);
    nn.summary(net, [1, 2], { print: false, mode: 'train' });
    expect(seen).toBe(true);
    net.eval();
    nn.summary(net, [1, 2], { print: false, mode: 'same' });
    expect(seen).toBe(false);
    expect(net.modules().every((m) => !Object.hasOwn(m, 'forward'))).toBe(true);
    expect(() => nn.summary(net, [1, 3], { print: false })).toThrow(/3/);
    expect(net.modules().every((m) => !Object.hasOwn(m, 'forward'))).toBe(true);
    expect(net.training).toBe(false);
  });

  it('rejects wrong arguments with typed errors', () => {
    const net = seedModel();
    const err = (f: () => unknown): Error => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('did not throw');
    };
    expect(err(() => nn.summary(net, [1, 784], { depht: 2 } as object)).message).toMatch(/did you mean 'depth'/);
    expect(err(() => nn.summary(net, [1, 784], { depth: -1 })).name).toBe('ValueError');
    expect(err(() => nn.summary(net, [1, 784], { columns: ['params'] as never })).name).toBe('ValueError');
    expect(err(() => nn.summary({} as nn.Module, [1, 784])).name).toBe('ArgumentTypeError');
    expect(err(() => nn.summary(net, { depth: 1 } as never)).name).toBe('ArgumentTypeError');
    expect(err(() => nn.summary(net, ['a'] as never)).name).toBe('ArgumentTypeError');
    expect(
      err(() =>
        nn.summary(
          net,
          [
            [1, 2],
            [1, 3],
          ],
          { dtypes: ['float32'] },
        ),
      ).name,
    ).toBe('ArgumentTypeError');
    expect(err(() => (nn.summary as (...a: unknown[]) => unknown)(net, [1, 784], {}, 2)).name).toBe('ArgumentTypeError');
  });
});
