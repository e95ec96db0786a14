// A tiny protobuf reader for the tests: the op types, initializer names and graph input/output
// dims of an ONNX model, read independently of the exporter's writer.

type Field = { field: number; wire: number; value: bigint | Uint8Array };

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let p = 0;
  const varint = (): bigint => {
    let v = 0n,
      shift = 0n;
    for (;;) {
      const b = buf[p++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (p < buf.length) {
    const tag = Number(varint());
    const field = tag >> 3,
      wire = tag & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const n = Number(varint());
      out.push({ field, wire, value: buf.subarray(p, p + n) });
      p += n;
    } else if (wire === 5) {
      out.push({ field, wire, value: buf.subarray(p, p + 4) });
      p += 4;
    } else if (wire === 1) {
      out.push({ field, wire, value: buf.subarray(p, p + 8) });
      p += 8;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const sub = (fs: Field[], n: number): Uint8Array[] => fs.filter((f) => f.field === n && f.wire === 2).map((f) => f.value as Uint8Array);

function valueInfo(b: Uint8Array): { name: string; dims: (number | string)[] } {
  const f = fields(b);
  const tensorType = fields(sub(fields(sub(f, 2)[0]!), 1)[0]!);
  const dims = sub(fields(sub(tensorType, 2)[0]!), 1).map((d) => {
    const df = fields(d)[0]!;
    return df.field === 1 ? Number(df.value) : text(df.value as Uint8Array);
  });
  return { name: text(sub(f, 1)[0]!), dims };
}

/** The parts of an ONNX model the tests look at. */
export function decodeModel(bytes: Uint8Array): {
  opset: number;
  opTypes: string[];
  initializers: string[];
  inputs: ReturnType<typeof valueInfo>[];
  outputs: ReturnType<typeof valueInfo>[];
} {
  const m = fields(bytes);
  const opset = Number(fields(sub(m, 8)[0]!).find((f) => f.field === 2)!.value);
  const g = fields(sub(m, 7)[0]!);
  return {
    opset,
    opTypes: sub(g, 1).map((n) => text(sub(fields(n), 4)[0]!)),
    initializers: sub(g, 5).map((t) => text(sub(fields(t), 8)[0]!)),
    inputs: sub(g, 11).map(valueInfo),
    outputs: sub(g, 12).map(valueInfo),
  };
}
