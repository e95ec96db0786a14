/**
 * A small, typed WebAssembly binary emitter.
 *
 * It knows just enough of the binary format (MVP + SIMD128 + bulk memory + threads'
 * shared memory) to build the GEMM kernels at load time: opcodes are named constants,
 * functions are written with a fluent stack-machine builder, and {@link ModuleBuilder.toBytes}
 * produces the bytes for `new WebAssembly.Module(bytes)`.
 *
 * @module
 */

/** Value types of the WebAssembly binary format. */
export const ValType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
} as const;
/** One of the {@link ValType} codes. */
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Single-byte (MVP) opcodes used by the kernels. */
export const Op = {
  unreachable: 0x00,
  nop: 0x01,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  f32Add: 0x92,
  f32Mul: 0x94,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  /** Prefix byte of the SIMD128 opcodes ({@link SimdOp}). */
  simdPrefix: 0xfd,
  /** Prefix byte of the bulk-memory and saturating-conversion opcodes ({@link MiscOp}). */
  miscPrefix: 0xfc,
} as const;

/** SIMD128 opcodes (emitted after {@link Op.simdPrefix} as a LEB128 u32). */
export const SimdOp = {
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i8x16Shuffle: 0x0d,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f64x2Sqrt: 0xef,
  f64x2Div: 0xf3,
  f64x2Max: 0xf5,
  // Appended for the streaming elementwise kernels (src/kernels/wasm/stream-module.ts).
  i32x4Splat: 0x11,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  v128Bitselect: 0x52,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i32x4Shl: 0xab,
  i32x4ShrS: 0xac,
  i32x4Add: 0xae,
  i32x4Sub: 0xb1,
  f32x4Abs: 0xe0,
  f32x4Pmin: 0xea,
  f32x4Pmax: 0xeb,
} as const;

/** Opcodes after {@link Op.miscPrefix} (bulk memory). */
const MiscOp = {
  memoryCopy: 0x0a,
  memoryFill: 0x0b,
} as const;

const BLOCK_VOID = 0x40;

/** Appends the unsigned LEB128 encoding of `v` to `out`. */
function uleb(out: number[], v: number): void {
  let x = v >>> 0;
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
}

/** Appends the signed LEB128 encoding of the 32-bit integer `v` to `out`. */
function sleb(out: number[], v: number): void {
  let x = v | 0;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    const done = (x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function encodeString(out: number[], s: string): void {
  const bytes = new TextEncoder().encode(s);
  uleb(out, bytes.length);
  for (const b of bytes) out.push(b);
}

/** log2 of a natural alignment in bytes (1, 2, 4, 8, 16). */
function alignLog2(bytes: number): number {
  return Math.round(Math.log2(bytes));
}

/**
 * Builds the body of one function: a fluent stack-machine API, one method per instruction.
 * Obtain one from {@link ModuleBuilder.func}.
 */
export class FunctionBuilder {
  /** The instruction bytes of the body (without the locals header and final `end`). */
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  private depth = 0;

  /** @param numParams - number of parameters (they are locals 0..numParams-1). */
  constructor(readonly numParams: number) {}

  /** Declares a new local of type `t` and returns its index. */
  local(t: ValType): number {
    this.localTypes.push(t);
    return this.numParams + this.localTypes.length - 1;
  }

  /** Emits a raw MVP opcode with no immediates. */
  op(code: number): this {
    this.code.push(code);
    return this;
  }

  /** Emits a SIMD opcode without immediates. */
  simd(code: number): this {
    this.code.push(Op.simdPrefix);
    uleb(this.code, code);
    return this;
  }

  private memarg(alignBytes: number, offset: number): void {
    uleb(this.code, alignLog2(alignBytes));
    uleb(this.code, offset);
  }

  /** `local.get i` */
  get(i: number): this {
    this.code.push(Op.localGet);
    uleb(this.code, i);
    return this;
  }
  /** `local.set i` */
  set(i: number): this {
    this.code.push(Op.localSet);
    uleb(this.code, i);
    return this;
  }
  /** `local.tee i` */
  tee(i: number): this {
    this.code.push(Op.localTee);
    uleb(this.code, i);
    return this;
  }
  /** `i32.const v` */
  i32(v: number): this {
    this.code.push(Op.i32Const);
    sleb(this.code, v);
    return this;
  }
  /** `v128.const` of sixteen zero bytes. */
  v128Zero(): this {
    this.simd(SimdOp.v128Const);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }

  /** A scalar or vector load: `op` is one of the `*Load` opcodes (MVP or, with `simd`, SIMD). */
  load(op: number, alignBytes: number, offset = 0, simd = false): this {
    if (simd) this.simd(op);
    else this.code.push(op);
    this.memarg(alignBytes, offset);
    return this;
  }
  /** A scalar or vector store (see {@link FunctionBuilder.load}). */
  store(op: number, alignBytes: number, offset = 0, simd = false): this {
    return this.load(op, alignBytes, offset, simd);
  }
  /** `v128.load offset` (alignment hint 4 bytes: our data are only element-aligned). */
  v128Load(offset = 0): this {
    return this.load(SimdOp.v128Load, 4, offset, true);
  }
  /** `v128.store offset` */
  v128Store(offset = 0): this {
    return this.load(SimdOp.v128Store, 4, offset, true);
  }
  /** `i8x16.shuffle` with 16 lane indices (0..31). */
  shuffle(lanes: readonly number[]): this {
    this.simd(SimdOp.i8x16Shuffle);
    for (const l of lanes) this.code.push(l);
    return this;
  }
  /** `memory.copy` (dst, src, len on the stack). */
  memoryCopy(): this {
    this.code.push(Op.miscPrefix);
    uleb(this.code, MiscOp.memoryCopy);
    this.code.push(0, 0);
    return this;
  }
  /** `memory.fill` (dst, value, len on the stack). */
  memoryFill(): this {
    this.code.push(Op.miscPrefix);
    uleb(this.code, MiscOp.memoryFill);
    this.code.push(0);
    return this;
  }

  /** `block ... end` around the instructions emitted by `body`. */
  block(body: () => void): this {
    this.code.push(Op.block, BLOCK_VOID);
    this.depth++;
    body();
    this.depth--;
    this.code.push(Op.end);
    return this;
  }
  /** `loop ... end` around the instructions emitted by `body`. */
  loop(body: () => void): this {
    this.code.push(Op.loop, BLOCK_VOID);
    this.depth++;
    body();
    this.depth--;
    this.code.push(Op.end);
    return this;
  }
  /** `if ... (else ...) end`, consuming an i32 condition. */
  if(then: () => void, otherwise?: () => void): this {
    this.code.push(Op.if, BLOCK_VOID);
    this.depth++;
    then();
    if (otherwise) {
      this.code.push(Op.else);
      otherwise();
    }
    this.depth--;
    this.code.push(Op.end);
    return this;
  }
  /** `br depth` */
  br(depth: number): this {
    this.code.push(Op.br);
    uleb(this.code, depth);
    return this;
  }
  /** `br_if depth` */
  brIf(depth: number): this {
    this.code.push(Op.brIf);
    uleb(this.code, depth);
    return this;
  }

  /**
   * A counted loop `for (i = from; i < to; i += step)` over i32 locals; `from`, `to` and
   * (optionally) `step` are emitted by callbacks so they may be any expression.
   * Skips the body when `from >= to`.
   */
  forRange(i: number, from: () => void, to: () => void, step: number | (() => void), body: () => void): this {
    from();
    this.set(i);
    this.block(() => {
      this.get(i);
      to();
      this.op(Op.i32GeS).brIf(0);
      this.loop(() => {
        body();
        this.get(i);
        if (typeof step === 'number') this.i32(step);
        else step();
        this.op(Op.i32Add).tee(i);
        to();
        this.op(Op.i32LtS).brIf(0);
      });
    });
    return this;
  }

  /** `call f` (function index as returned by {@link ModuleBuilder.func}). */
  call(f: number): this {
    this.code.push(Op.call);
    uleb(this.code, f);
    return this;
  }

  /** Pushes min(x, y) of two i32 locals (signed). */
  minS(x: number, y: number): this {
    return this.get(x).get(y).get(x).get(y).op(Op.i32LtS).op(Op.select);
  }

  /** Increments i32 local `i` by the constant `by`. */
  inc(i: number, by: number): this {
    return this.get(i).i32(by).op(Op.i32Add).set(i);
  }

  /** The complete body encoding (locals header + code + end). */
  encodeBody(): number[] {
    if (this.depth !== 0) throw new Error('emit: unbalanced blocks');
    const body: number[] = [];
    // Locals header: run-length groups of equal types.
    const groups: Array<[number, ValType]> = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    uleb(body, groups.length);
    for (const [n, t] of groups) {
      uleb(body, n);
      body.push(t);
    }
    for (const b of this.code) body.push(b);
    body.push(Op.end);
    const out: number[] = [];
    uleb(out, body.length);
    return out.concat(body);
  }
}

interface FuncDef {
  name: string;
  params: ValType[];
  results: ValType[];
  builder: FunctionBuilder;
}

/** Memory import description for {@link ModuleBuilder.importMemory}. */
export interface MemoryImport {
  /** Initial size in 64 KiB pages. */
  initial: number;
  /** Maximum size in pages (required for shared memories). */
  maximum?: number;
  /** Whether the memory is shared (threads proposal). */
  shared?: boolean;
}

/** Assembles a module with one imported memory (`env.memory`) and exported functions. */
export class ModuleBuilder {
  private readonly funcs: FuncDef[] = [];
  private memory: MemoryImport = { initial: 1 };

  /** Declares the imported memory `env.memory`. */
  importMemory(m: MemoryImport): this {
    this.memory = m;
    return this;
  }

  /**
   * Adds an exported function named `name`; `build` receives a {@link FunctionBuilder}
   * and the indices of the parameters. Returns the function index.
   */
  func(name: string, params: ValType[], results: ValType[], build: (f: FunctionBuilder, ...args: number[]) => void): number {
    const builder = new FunctionBuilder(params.length);
    build(builder, ...params.map((_, i) => i));
    this.funcs.push({ name, params, results, builder });
    return this.funcs.length - 1;
  }

  /** Encodes the module. */
  toBytes(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, payload: number[]): void => {
      out.push(id);
      uleb(out, payload.length);
      for (const b of payload) out.push(b);
    };
    // Type section: one type per function (duplicates are harmless).
    const types: number[] = [];
    uleb(types, this.funcs.length);
    for (const f of this.funcs) {
      types.push(0x60);
      uleb(types, f.params.length);
      types.push(...f.params);
      uleb(types, f.results.length);
      types.push(...f.results);
    }
    section(1, types);
    section(2, memoryImportPayload(this.memory));
    // Function section.
    const fsec: number[] = [];
    uleb(fsec, this.funcs.length);
    this.funcs.forEach((_, i) => uleb(fsec, i));
    section(3, fsec);
    // Export section.
    const exp: number[] = [];
    uleb(exp, this.funcs.length);
    this.funcs.forEach((f, i) => {
      encodeString(exp, f.name);
      exp.push(0x00);
      uleb(exp, i);
    });
    section(7, exp);
    // Code section.
    const code: number[] = [];
    uleb(code, this.funcs.length);
    for (const f of this.funcs) for (const b of f.builder.encodeBody()) code.push(b);
    section(10, code);
    return new Uint8Array(out);
  }
}

/** The payload of an import section holding only `env.memory` with the limits of `m`. */
function memoryImportPayload(m: MemoryImport): number[] {
  const imports: number[] = [];
  uleb(imports, 1);
  encodeString(imports, 'env');
  encodeString(imports, 'memory');
  imports.push(0x02);
  const hasMax = m.maximum !== undefined;
  imports.push((hasMax ? 0x01 : 0x00) | (m.shared ? 0x02 : 0x00));
  uleb(imports, m.initial);
  if (hasMax) uleb(imports, m.maximum as number);
  return imports;
}

/** Reads an unsigned LEB128 at `pos`; returns the value and the position after it. */
function readUleb(bytes: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [v, pos];
  }
}

/**
 * The bytes of a module from {@link ModuleBuilder.toBytes} with its memory import replaced by
 * `memory` (everything else copied verbatim), so the functions are generated once for a private
 * and a shared memory alike.
 * @example
 * ```ts
 * const shared = withMemoryImport(bytes, { initial: 1, maximum: 65536, shared: true });
 * ```
 * @internal
 */
export function withMemoryImport(bytes: Uint8Array, memory: MemoryImport): Uint8Array {
  // Header (8 bytes), then the type section (id 1), then the import section (id 2).
  let pos = 8;
  if (bytes[pos] !== 1) throw new Error('withMemoryImport: expected the type section first');
  const [typeLen, typeStart] = readUleb(bytes, pos + 1);
  const importAt = typeStart + typeLen;
  if (bytes[importAt] !== 2) throw new Error('withMemoryImport: expected the import section after the type section');
  const [importLen, importStart] = readUleb(bytes, importAt + 1);
  pos = importStart + importLen;
  const section: number[] = [2];
  const payload = memoryImportPayload(memory);
  uleb(section, payload.length);
  for (const b of payload) section.push(b);
  const out = new Uint8Array(importAt + section.length + (bytes.length - pos));
  out.set(bytes.subarray(0, importAt), 0);
  out.set(section, importAt);
  out.set(bytes.subarray(pos), importAt + section.length);
  return out;
}
