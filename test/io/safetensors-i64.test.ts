// Writing int32 tensors as I64 (PyTorch's integer type) and reading them back exactly.
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { FormatError } from '../../src/io/format-error.js';

function header(bytes: Uint8Array): Record<string, unknown> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8')) as Record<string, unknown>;
}

describe('encodeSafetensors int32As', () => {
  const tensors = {
    n: { dtype: 'int32' as const, shape: [], data: new Int32Array([-3]) },
    w: { dtype: 'float32' as const, shape: [2], data: new Float32Array([1, 2]) },
  };

  it("'I64' stores int32 as 8-byte little-endian two's complement, laid out first like the reference", () => {
    const bytes = encodeSafetensors(tensors, undefined, { int32As: 'I64' });
    expect(header(bytes)).toEqual({
      n: { dtype: 'I64', shape: [], data_offsets: [0, 8] },
      w: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
    });
    const start = bytes.length - 16;
    expect(Array.from(bytes.subarray(start, start + 8))).toEqual([0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeSafetensors(bytes).tensors['n']).toEqual(tensors.n);
  });

  it('the default stays I32, and anything else is rejected', () => {
    expect((header(encodeSafetensors(tensors))['n'] as { dtype: string }).dtype).toBe('I32');
    expect(() => encodeSafetensors(tensors, undefined, { int32As: 'I16' as never })).toThrow(FormatError);
  });
});
