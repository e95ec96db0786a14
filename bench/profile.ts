/**
 * Profiles tapegrad on one benchmark workload, for finding hot spots:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts train-784-128-64-10 [seconds]`,
 * then `npx tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile` for self time by function.
 * @module
 */
import { makeBatch, mlpInit, Rng } from './lib/data.js';
import { modelInit } from './lib/models.js';
import { DATA_SEED, WEIGHT_SEED, workloads } from './lib/workloads.js';
import { tapegradPeer } from './peers/tapegrad.js';

async function main(): Promise<void> {
  const id = process.argv[2];
  const seconds = Number(process.argv[3] ?? 5);
  const w = workloads(false);
  const peer = await tapegradPeer();
  let run: (() => unknown) | undefined;
  const mm = w.matmul.find((c) => c.id === id);
  const ew = w.elementwise.find((c) => c.id === id);
  const tr = w.train.find((c) => c.id === id);
  const ch = w.chain.find((c) => c.id === id);
  const mo = w.models.find((c) => c.id === id);
  if (mm) {
    const rng = new Rng(DATA_SEED);
    run = peer.matmul!(mm, rng.uniform(mm.m * mm.k, -1, 1), rng.uniform(mm.k * mm.n, -1, 1)).run;
  } else if (ew) {
    const rng = new Rng(DATA_SEED + 1);
    run = peer.elementwise!(ew, rng.uniform(ew.size, -4, 4), rng.uniform(ew.size, -4, 4)).run;
  } else if (tr) {
    const t = await peer.train!(
      tr,
      mlpInit(tr.sizes, WEIGHT_SEED),
      makeBatch(tr.batch, tr.sizes[0]!, tr.sizes[tr.sizes.length - 1]!, WEIGHT_SEED + 1),
    );
    run = () => t.step();
  } else if (ch) {
    run = peer.chain!(ch).run;
  } else if (mo) {
    const t = await peer.model!(mo, modelInit(mo));
    run = () => t.step();
  }
  if (!run) {
    const ids = [...w.matmul, ...w.elementwise, ...w.train, ...w.models, ...w.chain].map((c) => c.id);
    throw new Error(`profile: unknown workload '${id}' (known: ${ids.join(', ')})`);
  }
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  while (performance.now() < end) {
    await run();
    calls++;
  }
  process.stderr.write(`${id}: ${calls} calls, ${((seconds * 1000) / calls).toFixed(3)} ms per call\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
