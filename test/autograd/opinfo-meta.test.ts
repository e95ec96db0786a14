/**
 * Meta-tests of the OpInfo database: every Tensor method and every op exported from src/index.ts
 * has an entry (or an alias, or is listed as not an op), every primitive's
 * coverage names real entries, and the tables stay honest (no stale names).
 */
import { describe, expect, it } from 'vitest';
import * as T from '../../src/index.js';
import { PRIMS } from '../../src/autograd/primitives.js';
import { findOp, METHOD_ALIASES, NON_OP_EXPORTS, NON_OP_METHODS, OPS, primCoverage } from '../opinfo/index.js';

const known = (name: string): boolean => findOp(name) !== undefined;

/** The entry a method maps to: an alias, the function of the same name, or `Tensor.<name>`. */
function methodEntry(name: string): string | null {
  const alias = METHOD_ALIASES[name];
  if (alias !== undefined) return alias;
  if (known(name)) return name;
  if (known(`Tensor.${name}`)) return `Tensor.${name}`;
  return null;
}

const exported = T as unknown as Record<string, unknown>;

/** Exports that are functions but not ops: classes (error classes included) and listed helpers. */
function isOpExport(name: string): boolean {
  const v = exported[name];
  if (typeof v !== 'function') return false; // namespaces (autograd, nn, ...) and objects
  if (NON_OP_EXPORTS.has(name)) return false;
  return !(v.prototype instanceof Error);
}

describe('opinfo database', () => {
  it('has unique entry names', () => {
    const names = OPS.map((o) => o.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('has an entry for every Tensor method that is an op', () => {
    const methods = Object.getOwnPropertyNames(T.Tensor.prototype).filter((m) => !NON_OP_METHODS.has(m));
    expect(methods.length).toBeGreaterThan(50);
    expect(methods.filter((m) => methodEntry(m) === null)).toEqual([]);
    // Aliases must point at something real.
    expect(Object.entries(METHOD_ALIASES).filter(([, e]) => !known(e))).toEqual([]);
  });

  it('has an entry for every op exported from src/index.ts', () => {
    const ops = Object.keys(exported).filter(isOpExport);
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter((n) => !known(n))).toEqual([]);
  });

  it('lists only real Tensor methods and exports as non-ops', () => {
    const methods = new Set(Object.getOwnPropertyNames(T.Tensor.prototype));
    expect([...NON_OP_METHODS].filter((m) => !methods.has(m))).toEqual([]);
    expect([...NON_OP_EXPORTS].filter((n) => !(n in exported))).toEqual([]);
  });

  it('covers every primitive with existing entries', () => {
    expect(Object.keys(primCoverage).sort()).toEqual([...PRIMS].sort());
    const missing: string[] = [];
    for (const [prim, names] of Object.entries(primCoverage)) {
      expect(names.length, prim).toBeGreaterThan(0);
      for (const n of names) if (!known(n)) missing.push(`${prim} -> ${n}`);
    }
    expect(missing).toEqual([]);
  });

  it('gives every entry a way to check its forward and sane flags', () => {
    for (const o of OPS) {
      expect(o.reference !== null || o.check !== undefined, o.name).toBe(true);
      if (o.twiceDifferentiable) expect(o.differentiable === false, `${o.name}: twice but not once differentiable`).toBe(false);
    }
  });
});
