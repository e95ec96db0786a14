/**
 * The wrong-call corpus for the kernel runtime's public settings, `setBackend`/`getBackend` and
 * `setNumThreads`/`getNumThreads` (see types.ts). `setBackend` is tapegrad's own switch (PyTorch
 * has none), so its expected outcomes follow its documentation; `setNumThreads` follows
 * `torch.set_num_threads`, which takes a positive integer.
 */
import { expect } from 'vitest';
import type { Lib, WrongCall } from './types.js';

type Any = any; // calls a plain-JS user could type, whatever the TypeScript signatures say

/** Runs `f`, then puts the setting read by `get` back with `set`, whatever `f` does. */
function keeping<S, T>(get: () => S, set: (v: S) => void, f: () => T): T {
  const before = get();
  try {
    return f();
  } finally {
    set(before);
  }
}

const keepingBackend = <T>(tg: Lib, f: () => T): T => keeping(tg.getBackend, tg.setBackend, f);
const keepingThreads = <T>(tg: Lib, f: () => T): T => keeping(tg.getNumThreads, tg.setNumThreads, f);

/** The corpus of the runtime area. */
export const calls: WrongCall[] = [
  {
    code: "setBackend('gpu')",
    run: (tg) => keepingBackend(tg, () => (tg.setBackend as Any)('gpu')),
    expect: { throws: 'ValueError', message: /setBackend: backend must be one of 'auto', 'js', 'wasm', got 'gpu'/ },
  },
  {
    code: "setBackend('WASM')",
    run: (tg) => keepingBackend(tg, () => (tg.setBackend as Any)('WASM')),
    expect: { throws: 'ValueError', message: /setBackend.*got 'WASM'.*did you mean 'wasm'/ },
  },
  {
    code: 'setBackend()',
    run: (tg) => keepingBackend(tg, () => (tg.setBackend as Any)()),
    expect: { throws: 'ArgumentTypeError', message: /setBackend: backend must be a string, got undefined/ },
  },
  {
    code: "setBackend({ backend: 'js' })",
    run: (tg) => keepingBackend(tg, () => (tg.setBackend as Any)({ backend: 'js' })),
    expect: { throws: 'ArgumentTypeError', message: /setBackend: backend must be a string/ },
  },
  {
    code: "setBackend('js', 'wasm')",
    run: (tg) => keepingBackend(tg, () => (tg.setBackend as Any)('js', 'wasm')),
    expect: { throws: 'ArgumentTypeError', message: /setBackend: too many arguments/ },
  },
  {
    code: "setBackend('js'); getBackend()",
    run: (tg) => keepingBackend(tg, () => {
      tg.setBackend('js');
      return tg.getBackend();
    }),
    expect: { check: (r) => expect(r).toBe('js') },
  },
  {
    code: "setBackend('js'); matmul of two 64×64 float32 tensors (the JS kernel, same product)",
    run: (tg) => keepingBackend(tg, () => {
      tg.setBackend('js');
      const a = tg.ones([64, 64]);
      return tg.matmul(a, a.mul(2)).toArray();
    }),
    expect: { check: (r) => expect((r as number[][]).flat().every((v) => v === 128)).toBe(true) },
  },
  {
    code: 'setNumThreads(2.5)',
    run: (tg) => keepingThreads(tg, () => (tg.setNumThreads as Any)(2.5)),
    expect: { throws: 'ValueError', message: /setNumThreads: n must be an integer, got 2\.5/ },
  },
  {
    code: "setNumThreads('2')",
    run: (tg) => keepingThreads(tg, () => (tg.setNumThreads as Any)('2')),
    expect: { throws: 'ArgumentTypeError', message: /setNumThreads: n must be an integer, got '2'/ },
  },
  {
    code: 'setNumThreads(0)',
    run: (tg) => keepingThreads(tg, () => tg.setNumThreads(0)),
    expect: { throws: 'ValueError', message: /setNumThreads: n must be >= 1 and <= 63, got 0/ },
  },
  {
    code: 'setNumThreads(1); getNumThreads()',
    run: (tg) => keepingThreads(tg, () => {
      tg.setNumThreads(1);
      return tg.getNumThreads();
    }),
    expect: { check: (r) => expect(r).toBe(1) },
  },
];
