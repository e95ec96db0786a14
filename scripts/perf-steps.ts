/**
 * Time per training step of one benchmark workload of the tree it runs in, for A/B comparisons of
 * two trees in alternating fresh processes (run it in one tree, then the other, and swap the order
 * every pair). Builds the workload exactly as the benchmark's tapegrad peer does (`bench/lib`,
 * `bench/peers/tapegrad.ts`), runs two blocks as warm-up, then `blocks` blocks of `steps` steps,
 * and prints one JSON line: the median block's process CPU time per step (`process.cpuUsage`,
 * user + system, all threads) and wall time per step, in ms.
 *
 *   node --import tsx scripts/perf-steps.ts train-attn [blocks=9] [steps=5] [threads=1]
 *
 * Ids: any `train-*` case of the train group or `train-cnn` / `train-lstm` / `train-attn` of the
 * models group.
 * @module
 */
import { makeBatch, mlpInit } from '../bench/lib/data.js';
import { modelInit } from '../bench/lib/models.js';
import { WEIGHT_SEED, workloads } from '../bench/lib/workloads.js';
import { tapegradPeer } from '../bench/peers/tapegrad.js';
import { setNumThreads } from '../src/index.js';

async function main(): Promise<void> {
  const [id, blocksArg, stepsArg, threadsArg] = process.argv.slice(2);
  const blocks = Number(blocksArg ?? 9);
  const steps = Number(stepsArg ?? 5);
  setNumThreads(Number(threadsArg ?? 1));
  const w = workloads(false);
  const peer = await tapegradPeer();
  const tr = w.train.find((c) => c.id === id);
  const mo = w.models.find((c) => c.id === id);
  let step: () => unknown;
  if (tr) {
    const out = tr.sizes[tr.sizes.length - 1]!;
    const t = await peer.train!(tr, mlpInit(tr.sizes, WEIGHT_SEED), makeBatch(tr.batch, tr.sizes[0]!, out, WEIGHT_SEED + 1));
    step = () => t.step();
  } else if (mo) {
    const t = await peer.model!(mo, modelInit(mo));
    step = () => t.step();
  } else {
    throw new Error(`perf-steps: unknown workload '${id}'`);
  }
  for (let i = 0; i < 2 * steps; i++) await step();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / steps);
    wall.push((performance.now() - t0) / steps);
  }
  const median = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1]!;
  process.stdout.write(`${JSON.stringify({ cpu: median(cpu), wall: median(wall) })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
