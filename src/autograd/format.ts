/**
 * PyTorch-style printing: `tensor([[1.0000, 2.5000]], requiresGrad=true)`.
 * Large tensors are summarised with `...` like PyTorch (more than 1000 elements: 3 per edge).
 * @module
 */
import type { Tensor } from './tensor.js';
import { contiguousData } from './ops/shape.js';

const SUMMARY_THRESHOLD = 1000;
const EDGE = 3;

function floatFormatter(values: ArrayLike<number>): (v: number) => string {
  let maxAbs = 0;
  let minAbs = Infinity;
  let allInts = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInts = false;
  }
  const special = (v: number): string | null => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null);
  if (allInts && maxAbs < 1e8) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  const sci = maxAbs >= 1e8 || (minAbs !== Infinity && minAbs < 1e-4) || (minAbs !== Infinity && maxAbs / minAbs > 1000);
  if (sci) return (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  return (v) => special(v) ?? v.toFixed(4);
}

/** Formats a tensor as PyTorch prints it. @internal */
export function formatTensor(t: Tensor): string {
  const data = contiguousData(t);
  const summarise = t.numel() > SUMMARY_THRESHOLD;
  const isBool = t.dtype === 'bool';
  const isInt = t.dtype === 'int32';
  const fmt = isBool ? (v: number) => (v ? 'true' : 'false') : isInt ? (v: number) => String(v) : floatFormatter(data);
  const strings = new Map<number, string>();
  let width = 0;
  const cell = (i: number): string => {
    let s = strings.get(i);
    if (s === undefined) {
      s = fmt(data[i]!);
      strings.set(i, s);
    }
    return s;
  };
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
  // First pass: the cell width over the printed elements.
  const visit = (d: number, base: number): void => {
    if (d === t.ndim) {
      width = Math.max(width, cell(base).length);
      return;
    }
    for (const i of indicesOf(t.shape[d]!)) if (i !== null) visit(d + 1, base + i * strides[d]!);
  };
  if (t.numel() > 0) visit(0, 0);
  const indent = 'tensor('.length;
  const render = (d: number, base: number): string => {
    if (d === t.ndim) return cell(base).padStart(width);
    const parts = indicesOf(t.shape[d]!).map((i) => (i === null ? '...' : render(d + 1, base + i * strides[d]!)));
    const sep = d === t.ndim - 1 ? ', ' : ',' + '\n'.repeat(t.ndim - 1 - d) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = t.numel() === 0 ? `[]` : render(0, 0);
  const extras: string[] = [];
  if (t.numel() === 0 && t.ndim !== 1) extras.push(`size=[${t.shape.join(', ')}]`);
  if (t.dtype === 'float64' || (t.dtype !== 'float32' && t.numel() === 0)) extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}${extras.map((e) => `, ${e}`).join('')})`;
}
