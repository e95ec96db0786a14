/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time and inclusive time by
 * function, top entries first. `npx tsx bench/profile-summary.ts FILE.cpuprofile [top]`.
 * @module
 */
import { readFileSync } from 'node:fs';

/** The parts of a V8 CPU profile used here. @internal */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]');
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    self.set(label(id), (self.get(label(id)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(cur);
      if (!seen.has(l)) incl.set(l, (incl.get(l) ?? 0) + dt);
      seen.add(l);
    }
  });
  const show = (title: string, m: Map<string, number>): void => {
    process.stdout.write(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)\n`);
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([k, v]) => process.stdout.write(`${((100 * v) / total).toFixed(1).padStart(6)} %  ${k}\n`));
  };
  show('self time', self);
  show('inclusive time', incl);
}

main();
