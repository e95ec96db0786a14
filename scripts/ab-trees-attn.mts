/**
 * A/B of the `train-attn` benchmark step between two tapegrad trees loaded side by side in one
 * process (each its own module graph, one thread each): interleaved blocks of steps, the order
 * alternating per round, process CPU time per step. Prints the medians and the per-round ratios.
 *
 *   node --import tsx scripts/ab-trees-attn.mts /path/to/before /path/to/after [rounds=16] [steps=3]
 *
 * Both trees need the benchmark's peers (bench/peers, bench/lib).
 * @module
 */
const [before, after] = [process.argv[2], process.argv[3]];
if (before === undefined || after === undefined) throw new Error('usage: ab-trees-attn.mts BEFORE_TREE AFTER_TREE [rounds] [steps]');
const rounds = Number(process.argv[4] ?? 16);
const steps = Number(process.argv[5] ?? 3);

interface Step {
  step: () => unknown;
}

async function load(tree: string): Promise<Step> {
  const T = await import(`${tree}/src/index.ts`);
  T.setNumThreads(1);
  const { tapegradPeer } = await import(`${tree}/bench/peers/tapegrad.ts`);
  const { workloads } = await import(`${tree}/bench/lib/workloads.ts`);
  const { modelInit } = await import(`${tree}/bench/lib/models.ts`);
  const mo = workloads(false).models.find((c: { id: string }) => c.id === 'train-attn');
  const peer = await tapegradPeer();
  return (await peer.model(mo, modelInit(mo))) as Step;
}

const sides = { before: await load(before), after: await load(after) };
const per: Record<'before' | 'after', number[]> = { before: [], after: [] };
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (const s of ['before', 'after'] as const) for (let i = 0; i < 5; i++) await sides[s].step();
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
  const got = { before: 0, after: 0 };
  for (const s of order) {
    const c0 = cpuMs();
    for (let i = 0; i < steps; i++) await sides[s].step();
    got[s] = (cpuMs() - c0) / steps;
    per[s].push(got[s]);
  }
  ratios.push(got.before / got.after);
}
const med = (a: number[]): number => {
  const b = a.slice().sort((p, q) => p - q);
  return b.length % 2 ? b[b.length >> 1]! : (b[b.length / 2 - 1]! + b[b.length / 2]!) / 2;
};
console.log(
  JSON.stringify({
    beforeCpuMs: med(per.before),
    afterCpuMs: med(per.after),
    ratio: med(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds,
    steps,
  }),
);
