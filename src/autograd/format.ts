/**
 * PyTorch-style printing: `tensor([[1.0000, 2.5000]], requiresGrad=true)`.
 * Follows PyTorch's rules (`torch/_tensor_str.py` semantics): precision 4; float tensors whose
 * values are all integers print as `1.`; scientific notation when the nonzero finite magnitudes
 * span more than 1000x, exceed 1e8, or (non-integer values) go below 1e-4; the cell width comes
 * from the nonzero finite values; lines wrap at 80 characters; tensors with more than 1000
 * elements are summarised with `...` (3 items per edge), and the format is chosen from the
 * printed items only.
 * @module
 */
import type { Tensor } from './tensor.js';
import { contiguousData } from './ops/shape.js';

const SUMMARY_THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 80;

interface Formatter {
  /** The cell width every element is padded to (elements may be longer, e.g. `nan` in `[1., nan]`). */
  width: number;
  format(v: number): string;
}

function special(v: number): string | null {
  return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null;
}

function floatFormatter(values: readonly number[]): Formatter {
  const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
  let maxAbs = 0;
  let minAbs = Infinity;
  let intMode = true;
  for (const v of nonzero) {
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) intMode = false;
  }
  let format: (v: number) => string;
  if (nonzero.length > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!intMode && minAbs < 1e-4))) {
    format = (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  } else if (intMode) {
    format = (v) => special(v) ?? `${v.toFixed(0)}.`;
  } else {
    format = (v) => special(v) ?? v.toFixed(4);
  }
  let width = 1;
  for (const v of nonzero) width = Math.max(width, format(v).length);
  return { width, format };
}

function plainFormatter(values: readonly number[], isBool: boolean): Formatter {
  const format = isBool ? (v: number) => (v ? 'true' : 'false') : (v: number) => String(v);
  let width = 1;
  for (const v of values) width = Math.max(width, format(v).length);
  return { width, format };
}

/** Formats a tensor as PyTorch prints it. @internal */
export function formatTensor(t: Tensor): string {
  const data = contiguousData(t);
  const summarise = t.numel() > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let acc = 1;
  for (let d = t.ndim - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= t.shape[d]!;
  }
  const indicesOf = (size: number): (number | null)[] => {
    if (!summarise || size <= 2 * EDGE) return Array.from({ length: size }, (_, i) => i);
    return [...Array.from({ length: EDGE }, (_, i) => i), null, ...Array.from({ length: EDGE }, (_, i) => size - EDGE + i)];
  };
  // The format is chosen from the elements that are printed.
  const printed: number[] = [];
  const visit = (d: number, base: number): void => {
    if (d === t.ndim) {
      printed.push(Number(data[base]!));
      return;
    }
    for (const i of indicesOf(t.shape[d]!)) if (i !== null) visit(d + 1, base + i * strides[d]!);
  };
  if (t.numel() > 0) visit(0, 0);
  const fmt = t.dtype === 'float32' || t.dtype === 'float64' ? floatFormatter(printed) : plainFormatter(printed, t.dtype === 'bool');
  const cell = (i: number): string => fmt.format(Number(data[i]!)).padStart(fmt.width);
  const render = (d: number, base: number, indent: number): string => {
    if (d === t.ndim) return cell(base);
    const idx = indicesOf(t.shape[d]!);
    if (d === t.ndim - 1) {
      const items = idx.map((i) => (i === null ? ' ...' : cell(base + i * strides[d]!)));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(', '));
      return `[${lines.join(',\n' + ' '.repeat(indent + 1))}]`;
    }
    const parts = idx.map((i) => (i === null ? '...' : render(d + 1, base + i * strides[d]!, indent + 1)));
    return `[${parts.join(',' + '\n'.repeat(t.ndim - 1 - d) + ' '.repeat(indent + 1))}]`;
  };
  const body = t.numel() === 0 ? `[]` : render(0, 0, 'tensor('.length);
  const extras: string[] = [];
  if (t.numel() === 0 && t.ndim !== 1) extras.push(`size=[${t.shape.join(', ')}]`);
  if (t.dtype === 'float64' || (t.dtype !== 'float32' && t.numel() === 0)) extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}${extras.map((e) => `, ${e}`).join('')})`;
}
