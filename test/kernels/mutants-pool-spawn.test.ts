/**
 * A worker that cannot be created (Node's permission model without `--allow-worker` throws from
 * `new Worker`): the pool constructor rethrows, after terminating the workers it had started, so
 * its owner runs on one thread and no thread is left behind. In-process with a `Worker` that
 * throws on its second construction (the child-process test in threads-robustness.test.ts runs
 * the real permission model, where a mutant of the pool is not active).
 */
import { describe, expect, it, vi } from 'vitest';

const spawned = vi.hoisted(() => ({ made: 0, failAt: -1, terminated: 0 }));

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class Worker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      if (spawned.made++ === spawned.failAt) throw new Error('ERR_ACCESS_DENIED (test)');
      super(...args);
    }
    override terminate(): Promise<number> {
      spawned.terminated++;
      return super.terminate();
    }
  }
  return { ...real, Worker, default: { ...real, Worker } };
});

const { GemmPool } = await import('../../src/kernels/threads/pool.js');
const { WA } = await import('../../src/kernels/wasm/wasm-api.js');

const EMPTY_MODULE = new WA!.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

describe('GemmPool when a worker cannot be created', () => {
  it('rethrows the error and terminates the workers it had started', () => {
    spawned.made = 0;
    spawned.failAt = 2;
    spawned.terminated = 0;
    const memory = new WA!.Memory({ initial: 1, maximum: 16, shared: true });
    expect(() => new GemmPool(EMPTY_MODULE, memory, 3)).toThrow(/^ERR_ACCESS_DENIED \(test\)$/);
    expect(spawned.made).toBe(3);
    expect(spawned.terminated).toBe(2);
  });

  it('the first worker failing: nothing to terminate, the error is rethrown', () => {
    spawned.made = 0;
    spawned.failAt = 0;
    spawned.terminated = 0;
    const memory = new WA!.Memory({ initial: 1, maximum: 16, shared: true });
    expect(() => new GemmPool(EMPTY_MODULE, memory, 2)).toThrow(/ERR_ACCESS_DENIED/);
    expect(spawned.terminated).toBe(0);
  });
});
