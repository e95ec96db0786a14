/**
 * The engine gives consumed intermediate gradients back to the buffer pool (grad-release.ts). These
 * tests hold on to every gradient and output a user can reach (leaf and retainGrad `.grad`,
 * a hook's argument and result, a custom Function's gradient, `autograd.grad` results, the
 * caller's own gradient, views) and check their values after more work. The pool runs in poison
 * mode: a released buffer is overwritten with NaN at once, so a tensor that still used released
 * memory reads NaN, whatever is allocated next. The expected values are the calculus done by hand
 * (in comments) and evaluated in float64 loops here, not taken from tapegrad.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autograd, nn, noGrad, optim, tensor, type Tensor } from '../../src/index.js';
import { FunctionCtx } from '../../src/autograd/function.js';
import { poolStats, releaseFloat, setPoolLimit, setPoolPoison } from '../../src/kernels/memory/pool.js';

/** Elements per test tensor: 128 KiB of float32, above the pool's threshold. */
const M = 1 << 15;

beforeAll(() => setPoolPoison(true));
afterAll(() => setPoolPoison(false));

/** Deterministic values in [-2, 2) of both signs, never 0. */
function values(seed: number, n = M): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push((s / 2147483648) * 4 - 2 || 0.5);
  }
  return out;
}

const leaf = (seed: number): Tensor => tensor(values(seed), { requiresGrad: true });
const f32 = (xs: number[]): number[] => Array.from(new Float32Array(xs));

/** Compares `t` elementwise with `expected` (float64 math) to float32 accuracy, with no NaN. */
function expectClose(t: Tensor | null, expected: number[], what: string): void {
  expect(t, what).not.toBeNull();
  const got = t!.dataSync();
  expect(got.length, what).toBe(expected.length);
  let bad = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    if (!(Math.abs(got[i]! - e) <= 1e-5 * (1 + Math.abs(e)))) {
      bad = i;
      break;
    }
  }
  expect(bad === -1 ? 'ok' : `${what}[${bad}] = ${got[bad]}, expected ${expected[bad]}`).toBe('ok');
}

/** More work of the same sizes after a backward: allocations that take whatever the pool holds. */
function moreWork(): Tensor[] {
  const junk: Tensor[] = [];
  const z = tensor(values(99));
  for (let i = 0; i < 24; i++) junk.push(z.mul(1e9 + i), z.exp(), z.relu().add(z));
  return junk;
}

describe('gradients released to the pool never alias what a user can reach', () => {
  it('the check can fail: a live buffer released by hand reads NaN', () => {
    const x = tensor(values(1)).mul(1);
    expect(releaseFloat(x._storage.data as Float32Array)).toBe(true);
    expect(Number.isNaN(x.dataSync()[0])).toBe(true);
  });

  it('keeps leaf grads, retainGrad grads, hook arguments and forward outputs intact', () => {
    const x = leaf(1);
    const w = leaf(2);
    const h = x.mul(w);
    h.retainGrad();
    const r = h.relu();
    let seen: Tensor | null = null;
    r.registerHook((g) => {
      seen = g;
    });
    const before = poolStats().released;
    r.mul(r).sum().backward();
    expect(poolStats().released).toBeGreaterThan(before); // the run did release buffers
    const junk = moreWork();
    const xs = values(1),
      ws = values(2);
    const hv = f32(xs.map((v, i) => v * ws[i]!));
    const rv = hv.map((v) => Math.max(v, 0));
    // y = Σ r², r = relu(h), h = x·w: dy/dr = 2r, dy/dh = 2r·[h > 0] = 2r, dy/dx = 2r·w, dy/dw = 2r·x
    expectClose(
      seen,
      rv.map((v) => 2 * v),
      'hook argument',
    );
    expectClose(
      h.grad,
      rv.map((v) => 2 * v),
      'h.grad (retainGrad)',
    );
    expectClose(
      x.grad,
      rv.map((v, i) => 2 * v * ws[i]!),
      'x.grad',
    );
    expectClose(
      w.grad,
      rv.map((v, i) => 2 * v * xs[i]!),
      'w.grad',
    );
    expectClose(h, hv, 'forward output h');
    expectClose(r, rv, 'forward output r');
    expect(junk.length).toBe(72);
  });

  it('counts one gradient handed to two inputs (add) and to views (reshape, transpose)', () => {
    const x = leaf(3);
    const u = x.mul(2);
    const v = x.mul(3).reshape([128, 256]).transpose(0, 1).reshape([M]);
    const c = tensor(values(4));
    // y = Σ c·(u + v): the gradient c reaches u and v (one tensor), v's rule hands views of it on.
    // dy/dx[i] = 2c[i] + 3c[perm(i)], perm(i) the element of c that x[i] meets through the transpose
    u.add(v).mul(c).sum().backward();
    const junk = moreWork();
    const cs = values(4);
    const expected = new Array<number>(M);
    for (let i = 0; i < M; i++) {
      const row = Math.floor(i / 256),
        col = i % 256; // x reshaped [128, 256], transposed to [256, 128]
      expected[i] = 2 * cs[i]! + 3 * cs[col * 128 + row]!;
    }
    expectClose(x.grad, expected, 'x.grad');
    expect(junk.length).toBe(72);
  });

  it("keeps the caller's gradient, a hook's replacement and what a custom Function saw", () => {
    class Double extends autograd.Function {
      static stashed: Tensor | null = null;
      static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
        return x.mul(2);
      }
      static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
        Double.stashed = g;
        return g.mul(2);
      }
    }
    const x = leaf(5);
    const a = x.mul(x);
    let replaced: Tensor | null = null;
    a.registerHook((g) => (replaced = g.mul(10)));
    const b = Double.apply(a.relu());
    const gOut = tensor(values(6));
    b.backward(gOut);
    const junk = moreWork();
    const xs = values(5),
      gs = values(6);
    // b = 2·relu(x²) = 2x²: the Function sees gOut, the hook sees 2·gOut (a > 0) and returns 20·gOut, dx = 20·gOut·2x
    expectClose(gOut, f32(gs), 'caller gradient');
    expectClose(Double.stashed, f32(gs), 'gradient seen by the custom Function');
    expectClose(
      replaced,
      gs.map((g) => 20 * g),
      'hook replacement',
    );
    expectClose(
      x.grad,
      gs.map((g, i) => 40 * g * xs[i]!),
      'x.grad',
    );
    expect(junk.length).toBe(72);
  });

  it('keeps what a hook saw when it returns a replacement', () => {
    const x = leaf(9);
    const a = x.mul(3);
    let argument: Tensor | null = null;
    a.registerHook((g) => {
      argument = g;
      return g.mul(0.5);
    });
    const c = tensor(values(10));
    // y = Σ c·a², a = 3x: the hook gets 2c·a = 6c·x and passes 3c·x on, dx = 9c·x
    a.mul(a).mul(c).sum().backward();
    const junk = moreWork();
    const xs32 = f32(values(9)),
      cs = values(10);
    expectClose(
      argument,
      cs.map((v, i) => 2 * v * f32([3 * xs32[i]!])[0]!),
      'hook argument',
    );
    expectClose(
      x.grad,
      cs.map((v, i) => 9 * v * xs32[i]!),
      'x.grad',
    );
    expect(junk.length).toBe(72);
  });

  it('keeps the gradient a custom Function got and the one it returned, mid-graph', () => {
    class Square extends autograd.Function {
      static got: Tensor | null = null;
      static returned: Tensor | null = null;
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
        Square.got = g;
        Square.returned = g.mul(ctx.savedTensors[0]!).mul(2);
        return Square.returned;
      }
    }
    const x = leaf(13);
    const a = x.mul(3);
    const c = tensor(values(14));
    // y = Σ c·2·a², a = 3x: the Function gets 2c, returns 2c·2a = 12c·x, dx = 36c·x
    Square.apply(a).mul(2).mul(c).sum().backward();
    const junk = moreWork();
    const xs32 = f32(values(13)),
      cs = values(14);
    expectClose(
      Square.got,
      f32(cs).map((v) => 2 * v),
      'gradient the Function got',
    );
    expectClose(
      Square.returned,
      cs.map((v, i) => 4 * v * f32([3 * xs32[i]!])[0]!),
      'gradient the Function returned',
    );
    expectClose(
      x.grad,
      cs.map((v, i) => 36 * v * xs32[i]!),
      'x.grad',
    );
    expect(junk.length).toBe(72);
  });

  it('keeps a caller gradient computed by ops (pool memory from before the run)', () => {
    const x = leaf(11);
    const gOut = tensor(values(12)).mul(2);
    x.mul(3).relu().backward(gOut);
    const junk = moreWork();
    const xs = values(11),
      gs = values(12);
    // d/dx relu(3x)·gOut = 3·gOut where x > 0
    expectClose(
      gOut,
      gs.map((g) => 2 * g),
      'caller gradient',
    );
    expectClose(
      x.grad,
      gs.map((g, i) => (xs[i]! > 0 ? 6 * g : 0)),
      'x.grad',
    );
    expect(junk.length).toBe(72);
  });

  it('keeps autograd.grad results, also with retainGraph and a second run', () => {
    const x = leaf(7);
    const h = x.mul(3);
    const y = h.relu().mul(h).sum(); // y = Σ relu(h)·h: dy/dh = 2·relu(h) (h > 0), 0 otherwise
    const [gh, gx] = autograd.grad([y], [h, x], { retainGraph: true });
    const junk = moreWork();
    const xs = values(7);
    const hv = f32(xs.map((v) => 3 * v));
    const dh = hv.map((v) => (v > 0 ? 2 * v : 0));
    expectClose(gh!, dh, 'grad wrt h');
    expectClose(
      gx!,
      dh.map((v) => 3 * v),
      'grad wrt x',
    );
    y.backward({ retainGraph: true });
    y.backward(); // retained graph: .grad sums two runs
    junk.push(...moreWork());
    expectClose(
      x.grad,
      dh.map((v) => 6 * v),
      'x.grad after two runs',
    );
    expectClose(gh!, dh, 'grad wrt h after later runs');
  });

  it('keeps second-order gradients (createGraph releases nothing)', () => {
    const x = leaf(8);
    const y = x.mul(x).mul(x).sum(); // dy/dx = 3x², d/dx Σ 3x² = 6x
    const before = poolStats().released;
    const [g] = autograd.grad([y], [x], { createGraph: true });
    expect(poolStats().released).toBe(before);
    g!.sum().backward();
    const junk = moreWork();
    const xs = values(8);
    expectClose(
      g!,
      f32(xs).map((v) => 3 * v * v),
      'first derivative',
    );
    expectClose(
      x.grad,
      f32(xs).map((v) => 6 * v),
      'second derivative',
    );
    expect(junk.length).toBe(72);
  });

  it('trains to the same numbers with the pool on and off', () => {
    const run = (): number[] => {
      const model = new nn.Sequential(
        new nn.Linear(256, 256),
        new nn.ReLU(),
        new nn.Linear(256, 256),
        new nn.Tanh(),
        new nn.Linear(256, 4),
      );
      noGrad(() =>
        model.parameters().forEach((p, i) =>
          p.copy_(
            tensor(values(20 + i, p.numel()))
              .reshape(p.shape)
              .mul(0.05),
          ),
        ),
      );
      const x = tensor(values(40)).reshape([128, 256]);
      const y = tensor(
        Array.from({ length: 128 }, (_, i) => i % 4),
        { dtype: 'int32' },
      );
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const losses: number[] = [];
      for (let s = 0; s < 4; s++) {
        opt.zeroGrad();
        const loss = nn.functional.crossEntropy(model.call(x), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      return losses;
    };
    const withPool = run();
    setPoolLimit(0);
    const without = run();
    setPoolLimit(null);
    expect(withPool.every(Number.isFinite)).toBe(true);
    expect(withPool).toEqual(without);
  });

  describe('.grad memory freed by zeroGrad only while nobody read .grad', () => {
    // loss = Σ w·x, so w.grad = x (float32 values of x).
    const lossOf = (w: Tensor, seed: number): Tensor => w.mul(tensor(values(seed))).sum();

    it('zeroGrad frees an unread .grad, and the next backward is right', () => {
      const w = leaf(30);
      const opt = new optim.SGD([w], { lr: 0.1 });
      lossOf(w, 31).backward();
      opt.step(); // the step reads the gradient without exposing it
      const before = poolStats().released;
      opt.zeroGrad();
      expect(poolStats().released).toBe(before + 1);
      lossOf(w, 32).backward();
      moreWork();
      expectClose(w.grad, f32(values(32)), 'w.grad after reuse');
    });

    it('keeps a .grad the user read, through zeroGrad and more work', () => {
      const w = leaf(33);
      const opt = new optim.Adam([w], { lr: 0.1 });
      lossOf(w, 34).backward();
      const held = w.grad;
      opt.step();
      const before = poolStats().released;
      opt.zeroGrad();
      expect(poolStats().released).toBe(before);
      lossOf(w, 35).backward();
      const junk = moreWork();
      expectClose(held, f32(values(34)), 'held grad');
      expectClose(w.grad, f32(values(35)), 'new grad');
      expect(junk.length).toBe(72);
    });

    it('never frees a tensor the user assigned to .grad', () => {
      const w = leaf(41);
      const opt = new optim.SGD([w], { lr: 0.1 });
      lossOf(w, 42).backward();
      const mine = tensor(values(43)).mul(2); // pool memory, but the user's
      w.grad = mine;
      opt.zeroGrad();
      lossOf(w, 44).backward();
      const junk = moreWork();
      expectClose(
        mine,
        values(43).map((v) => 2 * Math.fround(v)),
        'assigned tensor',
      );
      expect(junk.length).toBe(72);
    });

    it('accumulating into an unread .grad frees the old one; a read one is kept', () => {
      const w = leaf(36);
      lossOf(w, 37).backward();
      lossOf(w, 38).backward();
      const read = w.grad; // from here on public
      lossOf(w, 39).backward();
      const junk = moreWork();
      const a = f32(values(37)),
        b = f32(values(38)),
        c = f32(values(39));
      expectClose(
        read,
        a.map((v, i) => v + b[i]!),
        'grad read after two runs',
      );
      expectClose(
        w.grad,
        a.map((v, i) => v + b[i]! + c[i]!),
        'grad after three runs',
      );
      expect(junk.length).toBe(72);
    });

    it('Module.zeroGrad frees unread grads and keeps read ones', () => {
      const first = new nn.Linear(256, 256);
      const second = new nn.Linear(256, 256);
      const model = new nn.Sequential(first, second);
      const x = tensor(values(40)).reshape([128, 256]);
      const run = (): void => model.call(x).sum().backward();
      run();
      const held = second.weight.grad; // read: kept; first.weight's grad is not read: freed
      const before = poolStats().released;
      model.zeroGrad();
      expect(poolStats().released).toBe(before + 1);
      run();
      const junk = moreWork();
      // y = Σ (x·W1ᵀ + b1)·W2ᵀ + b2: dy/dW2[j][k] = Σ_rows h[row][k], h = x·W1ᵀ + b1, computed here in float64
      const xs = f32(values(40));
      const w1 = Array.from(first.weight.dataSync());
      const b1 = Array.from(first.bias!.dataSync());
      const hSum = new Array<number>(256).fill(0);
      for (let r = 0; r < 128; r++) {
        for (let k = 0; k < 256; k++) {
          let h = b1[k]!;
          for (let i = 0; i < 256; i++) h += xs[r * 256 + i]! * w1[k * 256 + i]!;
          hSum[k]! += h;
        }
      }
      const expected: number[] = [];
      for (let j = 0; j < 256; j++) expected.push(...hSum);
      expectClose(held, expected, 'held weight grad');
      expectClose(second.weight.grad, expected, 'weight grad after reuse');
      expect(junk.length).toBe(72);
    });
  });
});
