// Module mechanics: discovery by field walking, dotted names, sharing, buffers, modes, conversion,
// hooks, containers and tree printing.
import { describe, expect, it } from 'vitest';
import { DTypeError, IndexError, NotImplementedError, Tensor, ValueError, nn, ones, randn, tensor, zeros } from '../../src/index.js';

class Block extends nn.Module<[Tensor], Tensor> {
  fc = new nn.Linear(2, 2);
  scale = new nn.Parameter(ones([1]));
  constructor() {
    super();
    this.registerBuffer('count', zeros([1], { dtype: 'int32' }));
    this.registerBuffer('scratch', zeros([2]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return this.fc.call(x).mul(this.scale);
  }
}

class Net extends nn.Module<[Tensor], Tensor> {
  encoder = [new Block(), new Block()];
  heads = new Map<string, nn.Module>([['out', new nn.Linear(2, 1)]]);
  extra = [new nn.Parameter(zeros([3]))];
  notAParam = zeros([4]); // a plain tensor field is not registered
  forward(x: Tensor): Tensor {
    return this.heads.get('out')!.call(this.encoder[1]!.call(this.encoder[0]!.call(x)));
  }
}

describe('Module discovery', () => {
  it('finds parameters through fields, arrays and Maps with dotted names, in order', () => {
    const net = new Net();
    // pre-order: the module's own parameters first, then each child's subtree
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'extra.0',
      'encoder.0.scale',
      'encoder.0.fc.weight',
      'encoder.0.fc.bias',
      'encoder.1.scale',
      'encoder.1.fc.weight',
      'encoder.1.fc.bias',
      'heads.out.weight',
      'heads.out.bias',
    ]);
    expect(net.parameters().length).toBe(9);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['encoder.0', 'encoder.1', 'heads.out']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'encoder.0', 'encoder.0.fc', 'encoder.1', 'encoder.1.fc', 'heads.out']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['encoder.0.count', 'encoder.0.scratch', 'encoder.1.count', 'encoder.1.scratch']);
  });

  it('lists a shared parameter or module once', () => {
    const shared = new nn.Linear(3, 3);
    const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
    expect(seq.parameters().length).toBe(2);
    expect(seq.modules().length).toBe(3); // seq, shared, relu
    class Tied extends nn.Module<[Tensor], Tensor> {
      emb = new nn.Embedding(4, 3);
      out = new nn.Linear(3, 4, { bias: false });
      constructor() {
        super();
        this.out.weight = this.emb.weight;
      }
      forward(x: Tensor): Tensor {
        return this.out.call(this.emb.call(x));
      }
    }
    const t = new Tied();
    expect(t.namedParameters().map(([n]) => n)).toEqual(['emb.weight']);
    // the state dict keeps every name, like PyTorch
    expect(Object.keys(t.stateDict())).toEqual(['emb.weight', 'out.weight']);
  });

  it('train/eval reach every descendant; zeroGrad; requiresGrad_; apply', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net
      .call(randn([3, 2]))
      .sum()
      .backward();
    expect(
      net
        .parameters()
        .filter((p) => p !== net.extra[0])
        .every((p) => p.grad !== null),
    ).toBe(true);
    net.zeroGrad({ setToNone: false });
    expect(net.encoder[0]!.fc.weight.grad!.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    net.requiresGrad_(false);
    expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
    const seen: string[] = [];
    net.apply((m) => seen.push(m.moduleName()));
    expect(seen).toEqual(['Linear', 'Block', 'Linear', 'Block', 'Linear', 'Net']);
  });

  it('to(dtype) converts float parameters and buffers in place, keeping Parameter identity', () => {
    const b = new Block();
    const w = b.fc.weight;
    const before = w.toArray() as number[][];
    b.double();
    expect(b.fc.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    expect(w.requiresGrad).toBe(true);
    expect((b as unknown as { scratch: Tensor }).scratch.dtype).toBe('float64');
    expect((b as unknown as { count: Tensor }).count.dtype).toBe('int32');
    (w.toArray() as number[][]).forEach((r, i) => r.forEach((v, j) => expect(v).toBe(before[i]![j])));
    const y = b.call(randn([2, 2], { dtype: 'float64' }));
    expect(y.dtype).toBe('float64');
    y.sum().backward();
    expect(w.grad!.dtype).toBe('float64');
    expect(() => b.to('int32')).toThrow(DTypeError);
  });

  it('registerBuffer validates names and values', () => {
    const m = new nn.Identity();
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(ValueError);
    expect(() => m.registerBuffer('p', new nn.Parameter(zeros([1])))).toThrow(/is a Parameter/);
  });

  it('forward hooks run in call() and may replace the output; removable', () => {
    const m = new nn.Identity();
    const seen: unknown[] = [];
    const remove = m.registerForwardHook((mod, args, out) => {
      seen.push([mod, args.length, out]);
      return (out as Tensor).mul(2);
    });
    const x = tensor([1, 2]);
    expect(m.call(x).toArray()).toEqual([2, 4]);
    expect(seen).toEqual([[m, 1, x]]);
    remove();
    expect(m.call(x)).toBe(x);
  });
});

describe('containers', () => {
  it('Sequential: add, at, length, iteration, named Map entries', () => {
    const a = new nn.Linear(2, 3);
    const s = new nn.Sequential(a).add(new nn.ReLU());
    expect(s.length).toBe(2);
    expect(s.at(0)).toBe(a);
    expect(s.at(-1)).toBeInstanceOf(nn.ReLU);
    expect([...s].length).toBe(2);
    expect(() => s.at(2)).toThrow(IndexError);
    const named = new nn.Sequential(
      new Map<string, nn.Module>([
        ['fc', a],
        ['act', new nn.Tanh()],
      ]),
    );
    expect(Object.keys(named.stateDict())).toEqual(['fc.weight', 'fc.bias']);
    expect(() => new nn.Sequential(42 as unknown as nn.Module)).toThrow(/Sequential.add: module 0 is not a Module/);
  });

  it('ModuleList and ModuleDict register their entries', () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    list.insert(0, new nn.Linear(2, 1)).append(new nn.Tanh());
    expect(list.length).toBe(4);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']);
    expect(() => list.forward()).toThrow(NotImplementedError);
    const dict = new nn.ModuleDict({ a: new nn.Linear(1, 1) });
    dict.set('b', new nn.Linear(1, 2));
    expect(dict.keys()).toEqual(['a', 'b']);
    expect(Object.keys(dict.stateDict())).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias']);
    expect(() => dict.get('c')).toThrow(/no module named 'c' \(keys: a, b\)/);
    expect(() => dict.set('x.y', new nn.Identity())).toThrow(ValueError);
  });

  it('Flatten / Unflatten shapes', () => {
    expect(new nn.Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new nn.Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    expect(new nn.Unflatten(-1, [3, -1]).call(zeros([2, 12])).shape).toEqual([2, 3, 4]);
  });
});

describe('printing', () => {
  it('prints the tree like PyTorch', () => {
    const net = new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU(), new nn.Sequential(new nn.Dropout(0.25), new nn.Softmax(1)));
    expect(net.toString()).toBe(
      [
        'Sequential(',
        '  (0): Linear(inFeatures=784, outFeatures=10, bias=true)',
        '  (1): ReLU()',
        '  (2): Sequential(',
        '    (0): Dropout(p=0.25)',
        '    (1): Softmax(dim=1)',
        '  )',
        ')',
      ].join('\n'),
    );
  });

  it('includes extraRepr lines before children', () => {
    class WithExtra extends nn.Module<[Tensor], Tensor> {
      inner = new nn.Identity();
      override extraRepr(): string {
        return 'hidden=4';
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(new WithExtra().toString()).toBe('WithExtra(\n  hidden=4\n  (inner): Identity()\n)');
    expect(new nn.Embedding(10, 3, { paddingIdx: -1 }).toString()).toBe('Embedding(10, 3, paddingIdx=9)');
  });
});
