/**
 * Crafted safetensors files stay harmless: deep nesting and huge values give short FormatErrors,
 * and any tensor name (even `__proto__`) round-trips as an own key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Tensor } from '../../src/autograd/tensor.js';
import { FormatError } from '../../src/io/format-error.js';
import { decodeSafetensors } from '../../src/io/safetensors.js';
import { jsonDepth } from '../../src/io/untrusted.js';
import * as nn from '../../src/nn/index.js';
import { MAX_MESSAGE, safetensorsFile, tempDir, thrown } from './untrusted-helpers.js';

const F32_ONE = new Uint8Array(new Float32Array([1]).buffer);

describe('safetensors headers from elsewhere', () => {
  it.each([
    ['an entry', (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`],
    ['the metadata', (n: number) => `{"__metadata__":{"a":${'{"b":'.repeat(n)}1${'}'.repeat(n)}}}`],
  ])('a deeply nested %s (a file of 10-30 KB) is a FormatError, not a RangeError', (_what, header) => {
    const bytes = safetensorsFile(header(5000));
    expect(bytes.length).toBeLessThan(32_000);
    const err = thrown(() => decodeSafetensors(bytes));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^safetensors: header is nested more than 64 levels deep/);
  });

  it('brackets inside strings do not count as nesting', () => {
    expect(jsonDepth('{"[[[[": "{{{{", "b": [1, [2]]}', 64)).toBe(3);
    expect(jsonDepth('{"a\\"[[[": 1}', 64)).toBe(1);
    const name = '['.repeat(200);
    const header = `{${JSON.stringify(name)}:{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`;
    expect(Object.keys(decodeSafetensors(safetensorsFile(header, F32_ONE)).tensors)).toEqual([name]);
  });

  const big = 'x'.repeat(4_000_000);
  it.each([
    ['a huge string entry', `{"a":"${big}"}`, /entry for tensor "a" must be an object/],
    ['a huge tensor name', `{"${big}":{"dtype":"X","shape":[],"data_offsets":[0,4]}}`, /\(4000000 characters\) has unsupported dtype "X"/],
    ['a huge dtype', `{"a":{"dtype":"${big}","shape":[],"data_offsets":[0,4]}}`, /unsupported dtype "x+…" \(4000000 characters\)/],
    ['a huge shape', `{"a":{"dtype":"F32","shape":[${Array(500_000).fill(7).join(',')}],"data_offsets":[0,0]}}`, /needs too many bytes/],
    [
      'a huge bad shape',
      `{"a":{"dtype":"F32","shape":[${Array(500_000).fill(-1).join(',')}],"data_offsets":[0,0]}}`,
      /invalid shape an array of 500000 items/,
    ],
    [
      'huge offsets',
      `{"a":{"dtype":"F32","shape":[1],"data_offsets":[${Array(500_000).fill(0).join(',')}]}}`,
      /invalid data_offsets an array of 500000 items/,
    ],
    [
      'a huge metadata value',
      `{"__metadata__":{"k":[${Array(500_000).fill(1).join(',')}]}}`,
      /value for key "k" must be a string, got an array of 500000 items/,
    ],
    [
      'a fake Tensor as entry',
      `{"a":["x"], "b": {"constructor":{"name":"Tensor"},"shape":[${Array(500_000).fill(1).join(',')}],"dtype":"${big}"}}`,
      /must be an object, got an array of 1 item|a Tensor of shape/,
    ],
  ])('%s gives a short message', (_what, header, pattern) => {
    const err = thrown(() => decodeSafetensors(safetensorsFile(header)));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(pattern);
    expect(err.message.length).toBeLessThan(MAX_MESSAGE);
  });

  it('a header larger than the file is rejected before anything is read', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(thrown(() => decodeSafetensors(bytes)).message).toMatch(/header length 4611686018427387904 exceeds the file size 16/);
  });

  it('a huge dimension cannot overflow the byte count', () => {
    const header = `{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`;
    expect(thrown(() => decodeSafetensors(safetensorsFile(header))).message).toMatch(
      /needs too many bytes but data_offsets \[0, 0\] span 0/,
    );
    const wraps = `{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,0]}}`; // 2^61 × 8 = 2^64
    expect(thrown(() => decodeSafetensors(safetensorsFile(wraps)))).toBeInstanceOf(FormatError);
  });
});

describe('tensor names round-trip exactly', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__defineGetter__', 'valueOf'];
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('tapegrad-names-')));
  afterEach(() => cleanup());

  function crafted(): Uint8Array {
    const entries = NAMES.map((n, i) => `${JSON.stringify(n)}:{"dtype":"F32","shape":[1],"data_offsets":[${4 * i},${4 * i + 4}]}`);
    return safetensorsFile(`{${entries.join(',')}}`, new Uint8Array(new Float32Array(NAMES.map((_n, i) => i + 1)).buffer));
  }

  function expectNames(sd: Record<string, Tensor>): void {
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(sd instanceof Tensor).toBe(false);
    expect(Object.keys(sd).sort()).toEqual(NAMES.slice().sort()); // a written file orders tensors by layout
    NAMES.forEach((n, i) => {
      expect(Object.hasOwn(sd, n)).toBe(true);
      const t = Object.getOwnPropertyDescriptor(sd, n)!.value as Tensor;
      expect(t).toBeInstanceOf(Tensor);
      expect(Array.from(t.dataSync())).toEqual([i + 1]);
    });
  }

  it('nn.fromBytes keeps a tensor named __proto__ (and constructor, toString) as own keys', () => {
    expectNames(nn.fromBytes(crafted()));
  });

  it('nn.load keeps them, and nn.save writes them back', () => {
    const file = path.join(dir, 'names.safetensors');
    fs.writeFileSync(file, crafted());
    const sd = nn.load(file);
    expectNames(sd);
    const again = path.join(dir, 'again.safetensors');
    nn.save(sd, again);
    expectNames(nn.load(again));
    expectNames(nn.fromBytes(nn.toBytes(sd)));
  });
});
