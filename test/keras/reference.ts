// Float64 reference math for the keras layer tests, written with plain loops on nested arrays
// (independent of the library's kernels): Keras' NHWC convolution and pooling with 'same' padding,
// and Keras' LSTM/GRU step formulas on Keras-layout weights.

export type Img = number[][][][]; // [N][H][W][C]

/** Keras' output size and leading pad for one dim. */
export function geometry(
  size: number,
  k: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same',
): { out: number; before: number } {
  const eff = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((size - eff) / stride) + 1, before: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + eff - size, 0);
  return { out, before: Math.floor(total / 2) };
}

/** NHWC convolution with a kernel [kh][kw][in][out] and a bias [out]. */
export function conv2dRef(
  x: Img,
  kernel: number[][][][],
  bias: number[],
  stride: [number, number],
  dilation: [number, number],
  padding: 'valid' | 'same',
): Img {
  const [N, H, W, C] = [x.length, x[0]!.length, x[0]![0]!.length, x[0]![0]![0]!.length];
  const [kh, kw, out] = [kernel.length, kernel[0]!.length, kernel[0]![0]![0]!.length];
  const gh = geometry(H, kh, stride[0], dilation[0], padding);
  const gw = geometry(W, kw, stride[1], dilation[1], padding);
  const y: Img = [];
  for (let n = 0; n < N; n++) {
    const rows: number[][][] = [];
    for (let i = 0; i < gh.out; i++) {
      const cols: number[][] = [];
      for (let j = 0; j < gw.out; j++) {
        const v: number[] = [];
        for (let o = 0; o < out; o++) {
          let s = bias[o] ?? 0;
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              const r = i * stride[0] + a * dilation[0] - gh.before;
              const c = j * stride[1] + b * dilation[1] - gw.before;
              if (r < 0 || r >= H || c < 0 || c >= W) continue;
              for (let ch = 0; ch < C; ch++) s += x[n]![r]![c]![ch]! * kernel[a]![b]![ch]![o]!;
            }
          }
          v.push(s);
        }
        cols.push(v);
      }
      rows.push(cols);
    }
    y.push(rows);
  }
  return y;
}

/** NHWC max or average pooling; padded positions are left out (Keras). */
export function poolRef(x: Img, pool: [number, number], stride: [number, number], padding: 'valid' | 'same', kind: 'max' | 'avg'): Img {
  const [N, H, W, C] = [x.length, x[0]!.length, x[0]![0]!.length, x[0]![0]![0]!.length];
  const gh = geometry(H, pool[0], stride[0], 1, padding);
  const gw = geometry(W, pool[1], stride[1], 1, padding);
  const y: Img = [];
  for (let n = 0; n < N; n++) {
    const rows: number[][][] = [];
    for (let i = 0; i < gh.out; i++) {
      const cols: number[][] = [];
      for (let j = 0; j < gw.out; j++) {
        const v: number[] = [];
        for (let ch = 0; ch < C; ch++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let a = 0; a < pool[0]; a++) {
            for (let b = 0; b < pool[1]; b++) {
              const r = i * stride[0] + a - gh.before;
              const c = j * stride[1] + b - gw.before;
              if (r < 0 || r >= H || c < 0 || c >= W) continue;
              const val = x[n]![r]![c]![ch]!;
              best = Math.max(best, val);
              sum += val;
              count++;
            }
          }
          v.push(kind === 'max' ? best : sum / count);
        }
        cols.push(v);
      }
      rows.push(cols);
    }
    y.push(rows);
  }
  return y;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** x·K for a row x [in] and K [in][m]. */
function rowTimes(x: readonly number[], k: readonly (readonly number[])[]): number[] {
  const m = k[0]!.length;
  const out = new Array<number>(m).fill(0);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < m; j++) out[j]! += x[i]! * k[i]![j]!;
  return out;
}

/** Keras' LSTM over one sequence [T][F] with kernel [F][4u], recurrent [u][4u], bias [4u] (gates i, f, c, o); returns every h. */
export function lstmRef(xs: number[][], kernel: number[][], recurrent: number[][], bias: number[]): number[][] {
  const u = recurrent.length;
  let h = new Array<number>(u).fill(0);
  let c = new Array<number>(u).fill(0);
  const hs: number[][] = [];
  for (const x of xs) {
    const zx = rowTimes(x, kernel);
    const zh = rowTimes(h, recurrent);
    const z = zx.map((v, j) => v + zh[j]! + bias[j]!);
    const gate = (g: number, f: (v: number) => number) => z.slice(g * u, (g + 1) * u).map(f);
    const i = gate(0, sigmoid);
    const f = gate(1, sigmoid);
    const cc = gate(2, Math.tanh);
    const o = gate(3, sigmoid);
    c = c.map((cv, j) => f[j]! * cv + i[j]! * cc[j]!);
    h = o.map((ov, j) => ov * Math.tanh(c[j]!));
    hs.push(h);
  }
  return hs;
}

/** Keras' GRU (reset_after) over one sequence: kernel [F][3u], recurrent [u][3u], bias [2][3u] (gates z, r, h). */
export function gruRef(xs: number[][], kernel: number[][], recurrent: number[][], bias: number[][]): number[][] {
  const u = recurrent.length;
  let h = new Array<number>(u).fill(0);
  const hs: number[][] = [];
  for (const x of xs) {
    const mx = rowTimes(x, kernel).map((v, j) => v + bias[0]![j]!);
    const mh = rowTimes(h, recurrent).map((v, j) => v + bias[1]![j]!);
    const z = mx.slice(0, u).map((v, j) => sigmoid(v + mh[j]!));
    const r = mx.slice(u, 2 * u).map((v, j) => sigmoid(v + mh[u + j]!));
    const hh = mx.slice(2 * u).map((v, j) => Math.tanh(v + r[j]! * mh[2 * u + j]!));
    h = h.map((hv, j) => z[j]! * hv + (1 - z[j]!) * hh[j]!);
    hs.push(h);
  }
  return hs;
}

/** Largest absolute difference between two nested arrays of the same shape. */
export function maxDiff(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity;
    return a.reduce((m: number, v, i) => Math.max(m, maxDiff(v, b[i])), 0);
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  return Infinity;
}
