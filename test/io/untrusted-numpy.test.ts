/**
 * Crafted `.npy`, `.npz` and checkpoint files stay harmless: sizes are checked from headers before
 * anything is inflated or allocated, messages stay short, names never reach Object.prototype.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeTree, loadCheckpoint } from '../../src/io/checkpoint.js';
import { FormatError } from '../../src/io/format-error.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { decodeNpz } from '../../src/io/npz.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { decodeZip, encodeZip } from '../../src/io/zip.js';
import { MAX_MESSAGE, tempDir, thrown } from './untrusted-helpers.js';

/** A version-2.0 `.npy` file (4-byte header length) with this header dict text, then `data`. */
function npy(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = `${header}\n`;
  const out = new Uint8Array(12 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
  new DataView(out.buffer).setUint32(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[12 + i] = text.charCodeAt(i);
  out.set(data, 12 + text.length);
  return out;
}

const tenFloats = encodeNpy({ dtype: 'float32', shape: [10], data: new Float32Array(10) });

/** Sets the uncompressed size of the first entry in both the local header and the central directory. */
function claimSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  view.setUint32(22, size, true);
  for (let p = out.length - 22; p >= 0; p--) {
    if (view.getUint32(p, true) === 0x02014b50) view.setUint32(p + 24, size, true);
  }
  return out;
}

describe('.npy headers from elsewhere', () => {
  it('a shape of 100 000 dimensions is refused with a short message', () => {
    const err = thrown(() =>
      decodeNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (${Array(100_000).fill(1).join(', ')}), }`, new Uint8Array(4))),
    );
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^npy: shape \(1, 1, .*, …\) \(100000 dims\) has more than 64 dimensions$/);
    expect(err.message.length).toBeLessThan(MAX_MESSAGE);
  });

  it('a dimension past 2^53 is refused, even next to a 0', () => {
    const err = thrown(() => decodeNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (0, 99999999999999999999), }`)));
    expect(err.message).toMatch(/shape entry '99999999999999999999' is not a non-negative integer below 2\^53/);
  });

  it('a shape whose byte count is not a safe integer is refused before any allocation', () => {
    const err = thrown(() => decodeNpy(npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }`)));
    expect(err.message).toBe("npy: shape (4294967296, 4294967296) of '<f8' describes too many bytes");
  });

  it('a header claiming more data than the file holds is refused', () => {
    const err = thrown(() => decodeNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (100000000,), }`, new Uint8Array(8))));
    expect(err.message).toBe("npy: shape (100000000,) of '<f4' needs 400000000 data bytes, the file has 8");
  });
});

describe('.npz archives from elsewhere', () => {
  it('an entry whose .npy header disagrees with the archive size is refused before inflating', () => {
    // A deflated entry of 8 MB of zeros after a header announcing 10 floats.
    const body = new Uint8Array(tenFloats.length - 40 + 8 * (1 << 20));
    body.set(tenFloats.subarray(0, tenFloats.length - 40));
    const zip = encodeZip([{ name: 'x.npy', data: body }], { deflate: true });
    expect(zip.length).toBeLessThan(64 * 1024);
    let inflated = 0;
    const err = thrown(() => decodeNpz(zip));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe(`npz: entry 'x.npy': its .npy header describes ${tenFloats.length} bytes, the archive says ${body.length}`);
    // decodeZip with a head check that accepts the entry inflates it in full: the check above came first.
    const entries = decodeZip(zip, (_n, read, size) => {
      inflated = read(16).length;
      expect(size).toBe(body.length);
    });
    expect(inflated).toBe(16);
    expect(entries[0]!.data.length).toBe(body.length);
  });

  it('a size the compressed bytes cannot hold is refused at once', () => {
    const zip = claimSize(encodeZip([{ name: 'x.npy', data: tenFloats }], { deflate: true }), 0xfffffff0);
    const err = thrown(() => decodeNpz(zip));
    expect(err.message).toMatch(/^zip: entry 'x\.npy' claims 4294967280 bytes, more than its \d+ compressed bytes can hold$/);
  });

  it('names such as __proto__ stay own keys', () => {
    const zip = encodeZip([
      { name: '__proto__.npy', data: tenFloats },
      { name: 'constructor.npy', data: tenFloats },
    ]);
    const out = decodeNpz(zip);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('valid archives, stored and deflated, still decode', () => {
    for (const deflate of [false, true]) {
      const out = decodeNpz(encodeZip([{ name: 'a.npy', data: tenFloats }], { deflate }));
      expect(out['a']!.shape).toEqual([10]);
    }
    expect(zlib.inflateRawSync(zlib.deflateRawSync(tenFloats)).length).toBe(tenFloats.length);
  });
});

describe('checkpoint metadata from elsewhere', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('tapegrad-ckpt-untrusted-')));
  afterEach(() => cleanup());

  function checkpointFile(text: string): string {
    const file = path.join(dir, 'ckpt.safetensors');
    fs.writeFileSync(file, encodeSafetensors({}, { 'tapegrad.checkpoint': text }));
    return file;
  }

  it.each(['constructor', '__proto__', 'valueOf', 'toString'])(
    '$number "%s" is a bad special number, not an inherited function',
    (name) => {
      expect(thrown(() => decodeTree({ $number: name }, {})).message).toBe(`checkpoint: bad special number '${name}'`);
      const err = thrown(() => loadCheckpoint(checkpointFile(JSON.stringify({ epoch: { $number: name } }))));
      expect(err).toBeInstanceOf(FormatError);
    },
  );

  it('the special numbers still decode', () => {
    expect(decodeTree([{ $number: 'NaN' }, { $number: '-Infinity' }, { $number: '-0' }], {})).toEqual([NaN, -Infinity, -0]);
  });

  it('deeply nested metadata is a FormatError, not a RangeError', () => {
    const err = thrown(() => loadCheckpoint(checkpointFile(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^checkpoint: the metadata of .* is nested more than 256 levels deep/);
  });

  it('a reference to a missing tensor with a huge name gives a short message', () => {
    const err = thrown(() => loadCheckpoint(checkpointFile(JSON.stringify({ w: { $tensor: 'n'.repeat(4_000_000) } }))));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message.length).toBeLessThan(MAX_MESSAGE);
  });
});
