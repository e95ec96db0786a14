/**
 * Cold float32 matmul in fresh processes: each child process imports tapegrad (timed), then times
 * its first `--calls` 256² products one by one, then `--steady` more, whose median is the steady
 * figure. Prints, per thread count and source tree, the median across processes of each call, the
 * import time, and the ratio mean(calls 1–10) / steady (the target of issue 12: within 1.5×).
 *
 * Several trees (`--roots=/path/a,/path/b`, each a checkout with `src/index.ts`) are run
 * interleaved, process by process, so a loaded machine weighs on each alike.
 *
 * ```sh
 * npx tsx scripts/cold-matmul.ts                       # this tree, 7 processes per thread count
 * npx tsx scripts/cold-matmul.ts --procs=9 --roots=.,/tmp/cold-base
 * npx tsx scripts/cold-matmul.ts --n=512 --steady=200 --threads=1,2   # 2 threads / 1 thread per round
 * ```
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface ChildResult {
  importMs: number;
  callsMs: number[];
  steadyMs: number;
}

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

async function child(root: string, threads: number, calls: number, steady: number, n: number): Promise<void> {
  const t0 = performance.now();
  const tg = (await import(pathToFileURL(resolve(root, 'src/index.ts')).href)) as typeof import('../src/index.js');
  const importMs = performance.now() - t0;
  tg.setNumThreads(threads);
  const a = tg.randn([n, n]);
  const b = tg.randn([n, n]);
  const callsMs: number[] = [];
  for (let i = 0; i < calls; i++) {
    const s = performance.now();
    a.matmul(b);
    callsMs.push(performance.now() - s);
  }
  const rest: number[] = [];
  for (let i = 0; i < steady; i++) {
    const s = performance.now();
    a.matmul(b);
    rest.push(performance.now() - s);
  }
  // The steady figure: the median of the last half of the extra calls.
  const result: ChildResult = { importMs, callsMs, steadyMs: median(rest.slice(rest.length >> 1)) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function fmt(x: number): string {
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}

function parent(): void {
  const procs = Number(arg('procs', '7'));
  const calls = Number(arg('calls', '20'));
  const steady = Number(arg('steady', '400'));
  const n = Number(arg('n', '256'));
  const roots = arg('roots', '.')
    .split(',')
    .map((r) => resolve(r));
  const threadList = arg('threads', '1,2').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const results = new Map<string, ChildResult[]>();
  const load0 = loadavg()[0]!;
  for (let p = 0; p < procs; p++) {
    for (const threads of threadList) {
      // Alternate the order of the trees from one round to the next.
      const order = p % 2 === 0 ? roots : [...roots].reverse();
      for (const root of order) {
        const r = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            self,
            '--child',
            `--root=${root}`,
            `--threads=${threads}`,
            `--calls=${calls}`,
            `--steady=${steady}`,
            `--n=${n}`,
          ],
          { cwd: root, encoding: 'utf8', timeout: 300_000 },
        );
        const line = r.stdout.trim().split('\n').pop() ?? '';
        const key = `${root}|${threads}`;
        try {
          const parsed = JSON.parse(line) as ChildResult;
          results.set(key, [...(results.get(key) ?? []), parsed]);
        } catch {
          process.stderr.write(`child failed (${root}, ${threads} threads): ${r.stderr.slice(0, 400)}\n`);
        }
      }
    }
  }
  process.stdout.write(`float32 matmul ${n}², ${procs} fresh processes per row; load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}\n`);
  for (const root of roots) {
    for (const threads of threadList) {
      const rs = results.get(`${root}|${threads}`) ?? [];
      if (rs.length === 0) continue;
      const perCall = Array.from({ length: calls }, (_, i) => median(rs.map((r) => r.callsMs[i]!)));
      const ratios = rs.map((r) => r.callsMs.slice(0, 10).reduce((s, x) => s + x, 0) / Math.min(10, calls) / r.steadyMs);
      const steadyMs = rs.map((r) => r.steadyMs);
      const imp = rs.map((r) => r.importMs);
      process.stdout.write(`\n${root}, ${threads} thread(s), ${rs.length} processes\n`);
      process.stdout.write(`  import ms: median ${fmt(median(imp))} (${fmt(Math.min(...imp))}–${fmt(Math.max(...imp))})\n`);
      process.stdout.write(`  steady ms: median ${fmt(median(steadyMs))} (${fmt(Math.min(...steadyMs))}–${fmt(Math.max(...steadyMs))})\n`);
      process.stdout.write(`  calls 1–${calls} ms (median across processes): ${perCall.map(fmt).join(' ')}\n`);
      process.stdout.write(
        `  mean(1–10) / steady: median ${ratios.length ? median(ratios).toFixed(2) : '-'} ` +
          `(${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})\n`,
      );
    }
    // Two threads against one, process by process (each pair ran back to back, so a burst of
    // load from elsewhere hits both).
    const one = results.get(`${root}|1`) ?? [];
    for (const threads of threadList.filter((t) => t > 1)) {
      const many = results.get(`${root}|${threads}`) ?? [];
      const pairs = Math.min(one.length, many.length);
      if (pairs === 0) continue;
      const steady = Array.from({ length: pairs }, (_, i) => many[i]!.steadyMs / one[i]!.steadyMs);
      const cold = Array.from({ length: pairs }, (_, i) => mean10(many[i]!) / mean10(one[i]!));
      process.stdout.write(
        `  ${threads} threads / 1 thread, per round: steady median ${median(steady).toFixed(2)} ` +
          `(${Math.min(...steady).toFixed(2)}–${Math.max(...steady).toFixed(2)}), ` +
          `cold median ${median(cold).toFixed(2)} (${Math.min(...cold).toFixed(2)}–${Math.max(...cold).toFixed(2)})\n`,
      );
    }
  }
}

/** Mean time of the first 10 calls of a process. */
function mean10(r: ChildResult): number {
  const first = r.callsMs.slice(0, 10);
  return first.reduce((s, x) => s + x, 0) / first.length;
}

if (process.argv.includes('--child')) {
  await child(
    arg('root', '.'),
    Number(arg('threads', '1')),
    Number(arg('calls', '20')),
    Number(arg('steady', '400')),
    Number(arg('n', '256')),
  );
} else {
  parent();
}
