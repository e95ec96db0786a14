// Generic tests over the module database: gradcheck in float64 over inputs AND parameters, float32
// against float64, and the typed errors of bad inputs. A meta-test checks every module class of nn
// part A has an entry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, autograd, nn } from '../../src/index.js';
import * as activations from '../../src/nn/layers/activation.js';
import * as containers from '../../src/nn/containers.js';
import * as losses from '../../src/nn/losses.js';
import { Bilinear } from '../../src/nn/layers/bilinear.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Embedding } from '../../src/nn/layers/embedding.js';
import { Flatten, Unflatten } from '../../src/nn/layers/flatten.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { allEntries, type ModuleEntry } from './module-db.js';
import { flat } from './helpers.js';

function outputs(out: unknown): Tensor[] {
  return Array.isArray(out) ? (out as Tensor[]) : [out as Tensor];
}

function prepared(entry: ModuleEntry, seed: number): { m: nn.Module; inputs: Tensor[] } {
  const m = entry.make(new Generator(seed)).double();
  const inputs = entry.inputs(new Generator(seed + 1)).map((t, i) => (entry.diff.includes(i) ? t.detach().requiresGrad_(true) : t));
  return { m, inputs };
}

describe('module database', () => {
  for (const entry of allEntries) {
    describe(entry.name, () => {
      it('gradcheck (float64) over inputs and parameters', () => {
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
            const { m, inputs } = prepared(entry, seed);
            const params = m.parameters().filter((p) => p.requiresGrad);
            const n = inputs.length;
            expect(autograd.gradcheck((...all: Tensor[]) => m.call(...all.slice(0, n)) as Tensor, [...inputs, ...params])).toBe(true);
          }),
          { seed: 42, numRuns: 3 },
        );
      });

      it('float32 agrees with float64 (outputs and parameter gradients)', () => {
        const seed = 1234;
        const m64 = entry.make(new Generator(seed)).double();
        const m32 = entry.make(new Generator(seed));
        const x64 = entry.inputs(new Generator(seed + 1));
        const x32 = x64.map((t) => (t.dtype === 'float64' ? t.float() : t));
        const o64 = outputs(m64.call(...x64));
        const o32 = outputs(m32.call(...x32));
        expect(o32.length).toBe(o64.length);
        o32.forEach((o, i) => {
          expect(o.dtype).toBe('float32');
          expect(o64[i]!.dtype).toBe('float64');
          const a = flat(o);
          const b = flat(o64[i]!);
          a.forEach((v, j) => expect(Math.abs(v - b[j]!)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(b[j]!))));
        });
        const p64 = m64.parameters();
        const p32 = m32.parameters();
        if (p64.length > 0 && o64[0]!.requiresGrad) {
          o64[0]!.sum().backward();
          o32[0]!.sum().backward();
          p32.forEach((p, i) => {
            const a = flat(p.grad!);
            const b = flat(p64[i]!.grad!);
            a.forEach((v, j) => expect(Math.abs(v - b[j]!)).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(b[j]!))));
          });
        }
      });

      for (const err of entry.errors ?? []) {
        it(`rejects ${err.what} with ${err.error.name}`, () => {
          const run = (): unknown => {
            const m = (err.make ?? entry.make)(new Generator(0));
            const inputs = err.inputs ? err.inputs(new Generator(1)) : entry.inputs(new Generator(1));
            return m.call(...inputs);
          };
          expect(run).toThrow(err.error);
          expect(run).toThrow(err.match);
        });
      }
    });
  }

  it('covers every module class of nn part A', () => {
    const classes = new Set<string>();
    const add = (v: unknown): void => {
      if (typeof v === 'function' && v.prototype instanceof nn.Module && !String(v.name).startsWith('_')) classes.add(v.name);
    };
    for (const ns of [activations, losses]) Object.values(ns).forEach(add);
    [Linear, Bilinear, Embedding, Dropout, Flatten, Unflatten, containers.Sequential, containers.Identity].forEach(add);
    classes.delete('Loss'); // abstract base
    const covered = new Set(allEntries.flatMap((e) => e.covers));
    expect([...classes].filter((c) => !covered.has(c))).toEqual([]);
  });
});
