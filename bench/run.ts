/**
 * The benchmark against the peers: `npm run bench` (full run) or `npm run bench -- --quick`.
 * Options: `--peers=tapegrad,tfjs-wasm`, `--groups=matmul,train,models`, `--cases=mm-256,train-cnn`,
 * `--repeats=N` (fresh processes per case and peer; default 5, quick 2), `--no-write` (print
 * only), `--ci` (reinstall the peers first).
 *
 * Every case runs for every peer in `repeats` fresh Node processes (bench/worker.ts), on the same
 * seeded data and initial weights; the peers take turns case by case, in reverse order every other
 * repeat. Results go to bench/results/ (latest.{json,md} for a full run, quick.{json,md} for a
 * quick one).
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBatch, mlpInit } from './lib/data.js';
import { MODEL_REFERENCE_LOSS } from './lib/model-reference.js';
import { mlpLoss64 } from './lib/reference.js';
import { buildRows, lossOk, renderMarkdown, type RunMeta } from './lib/report.js';
import type { WorkerResult } from './lib/results.js';
import { GROUPS, WEIGHT_SEED, workloads, type Group } from './lib/workloads.js';
import { PEERS, type PeerName } from './peers/peer.js';

/** Which groups each peer runs (js-pytorch has no typed-array kernels: the chain only). */
const SUPPORT: Record<PeerName, readonly Group[]> = {
  tapegrad: GROUPS,
  'tfjs-cpu': GROUPS,
  'tfjs-wasm': GROUPS,
  'jax-wasm': GROUPS,
  'js-pytorch': ['chain'],
};

/** Relative agreement required between each peer's first model loss and tapegrad's (~6 digits). */
const FIRST_LOSS_AGREEMENT = 2e-6;

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

function listArg(name: string, all: readonly string[]): string[] {
  const v = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (!v) return [...all];
  const picked = v.split(',').map((s) => s.trim());
  for (const p of picked) if (!all.includes(p)) throw new Error(`bench: unknown ${name} '${p}' (known: ${all.join(', ')})`);
  return picked;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/**
 * Installs the peers into bench/node_modules from bench/package-lock.json (`npm ci`, install
 * scripts off via bench/.npmrc) when they are missing or older than the lockfile, or always
 * with `--ci`.
 */
function ensurePeers(): void {
  const lock = join(here, 'package-lock.json');
  const installed = join(here, 'node_modules', '.package-lock.json');
  const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
  if (!stale && !process.argv.includes('--ci')) return;
  process.stderr.write('bench: installing the peers (npm ci in bench/)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench: npm ci in bench/ failed (exit ${r.status})`);
}

function runWorker(peer: PeerName, group: Group, caseId: string, repeat: number, quick: boolean, dir: string): WorkerResult {
  const out = join(dir, `${peer}-${group}-${caseId}-${repeat}.json`);
  const args = ['--import', 'tsx', join(here, 'worker.ts'), `--peer=${peer}`, `--group=${group}`, `--case=${caseId}`, `--out=${out}`];
  if (quick) args.push('--quick');
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
  try {
    return JSON.parse(readFileSync(out, 'utf8')) as WorkerResult;
  } catch {
    const why = r.error ? r.error.message : `exit code ${r.status}${r.signal ? `, signal ${r.signal}` : ''}`;
    return { peer, version: 'unknown', group, peakRssMiB: 0, cases: [{ id: caseId, error: `worker failed (${why})` }] };
  }
}

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * One record per peer and group from the fresh processes of every case and repeat: a case's
 * figure is the median of the processes' medians, its spread their min and max, its cold figure
 * the mean of the processes' cold figures. A failure in any process fails the case; peak RSS is
 * the largest of the processes.
 */
function mergeRepeats(runs: readonly WorkerResult[]): WorkerResult[] {
  const merged: WorkerResult[] = [];
  for (const r of runs) {
    let m = merged.find((x) => x.peer === r.peer && x.group === r.group);
    if (!m) {
      m = { ...r, cases: [], peakRssMiB: 0 };
      merged.push(m);
    }
    if (!r.skipped) delete m.skipped;
    if (r.version !== 'unknown') m.version = r.version;
    if (r.note) m.note = r.note;
    m.peakRssMiB = Math.max(m.peakRssMiB, r.peakRssMiB);
  }
  for (const m of merged) {
    const ids = [...new Set(runs.filter((r) => r.peer === m.peer && r.group === m.group).flatMap((r) => r.cases.map((c) => c.id)))];
    for (const id of ids) {
      const all = runs.filter((r) => r.peer === m.peer && r.group === m.group).flatMap((r) => r.cases.filter((c) => c.id === id));
      const na = all.find((x) => x.na);
      const failed = all.find((x) => x.error);
      if (na) m.cases.push(na);
      else if (failed)
        m.cases.push({
          ...failed,
          error: `${failed.error}${all.length > 1 ? ` (in ${all.filter((x) => x.error).length} of ${all.length} processes)` : ''}`,
        });
      else {
        const meds = all.map((x) => x.timing!.median);
        const colds = all.map((x) => x.cold?.mean ?? NaN);
        const base = all[0]!;
        m.cases.push({
          ...base,
          timing: {
            ...base.timing!,
            median: median(meds),
            min: Math.min(...meds),
            max: Math.max(...meds),
            single: all.some((x) => x.timing!.single),
          },
          cold: { mean: colds.reduce((a, b) => a + b, 0) / colds.length, calls: Math.min(...all.map((x) => x.cold?.calls ?? 0)) },
          lastLoss: base.lastLoss === undefined ? undefined : Math.max(...all.map((x) => x.lastLoss!)),
          firstLoss: base.firstLoss,
          repeatMedians: meds,
          repeatColds: colds,
        });
        // Every process must start from the same first loss.
        const firsts = all.map((x) => x.firstLoss).filter((x): x is number => x !== undefined);
        if (firsts.some((f) => f !== firsts[0]))
          m.cases[m.cases.length - 1]!.error = `first losses differ between processes: ${firsts.join(', ')}`;
      }
    }
  }
  return merged;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const write = !process.argv.includes('--no-write');
  const peers = listArg('peers', PEERS) as PeerName[];
  const groups = listArg('groups', GROUPS) as Group[];
  const repeatsArg = process.argv.find((a) => a.startsWith('--repeats='))?.slice(10);
  const repeats = Number(repeatsArg ?? (quick ? 2 : 5));
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`bench: --repeats must be a positive integer, got '${repeatsArg}'`);
  if (process.argv.some((a) => a.startsWith('--rounds=')))
    throw new Error('bench: --rounds is gone; use --repeats=N (fresh processes per case and peer)');
  const w = workloads(quick);
  const allIds = groups.flatMap((g) => w[g].map((c) => c.id));
  const cases = new Set(listArg('cases', allIds));
  ensurePeers();
  const start = performance.now();
  const load0 = loadavg()[0]!;

  // The float64 first loss of each training case, computed here with naive loops.
  const trainRefs: Record<string, number> = {};
  if (groups.includes('train')) {
    for (const c of w.train) {
      const batch = makeBatch(c.batch, c.sizes[0]!, c.sizes[c.sizes.length - 1]!, WEIGHT_SEED + 1);
      trainRefs[c.id] = mlpLoss64(mlpInit(c.sizes, WEIGHT_SEED), batch);
    }
  }

  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-bench-'));
  const results: WorkerResult[] = [];
  try {
    // Each case in fresh processes, the peers taking turns case by case (in reverse order every
    // other repeat), so that a burst of load from elsewhere does not land on one peer only.
    const runs: WorkerResult[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const order = repeat % 2 === 0 ? peers : [...peers].reverse();
      for (const group of groups) {
        process.stderr.write(`[repeat ${repeat + 1}/${repeats}: ${group}]\n`);
        for (const c of w[group]) {
          if (!cases.has(c.id)) continue;
          for (const peer of order) if (SUPPORT[peer].includes(group)) runs.push(runWorker(peer, group, c.id, repeat, quick, dir));
        }
      }
    }
    results.push(...mergeRepeats(runs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // A training figure counts only if the peer reproduced the reference first loss and its loss went down.
  for (const res of results.filter((r) => r.group === 'train')) {
    for (const r of res.cases) {
      const ref = trainRefs[r.id];
      if (r.error || ref === undefined || r.firstLoss === undefined) continue;
      if (!lossOk(r, ref)) r.error = `first loss ${r.firstLoss} vs float64 reference ${ref}, last loss ${r.lastLoss}: check failed`;
    }
  }
  // A model figure counts only if the peer's first loss agrees with tapegrad's to ~6 digits, both
  // agree with PyTorch's float64 first loss, and the loss went down.
  const tgModels = results.find((r) => r.peer === 'tapegrad' && r.group === 'models');
  for (const res of results.filter((r) => r.group === 'models')) {
    for (const r of res.cases) {
      if (r.error || r.na || r.firstLoss === undefined) continue;
      const ref = MODEL_REFERENCE_LOSS[r.id];
      const tg = tgModels?.cases.find((x) => x.id === r.id)?.firstLoss;
      if (ref !== undefined && Math.abs(r.firstLoss - ref) > 1e-5 * Math.abs(ref))
        r.error = `first loss ${r.firstLoss} vs PyTorch float64 ${ref}: check failed`;
      else if (tg === undefined && res.peer !== 'tapegrad') r.error = 'no tapegrad first loss to compare with';
      else if (tg !== undefined && Math.abs(r.firstLoss - tg) > FIRST_LOSS_AGREEMENT * Math.abs(tg))
        r.error = `first loss ${r.firstLoss} vs tapegrad's ${tg}: not within ${FIRST_LOSS_AGREEMENT} relative`;
    }
  }

  const cpu = cpus();
  const meta: RunMeta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    mode: quick ? 'quick' : 'full',
    commit: gitCommit(),
    cpu: `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} logical cores`,
    node: process.version,
    wallSeconds: (performance.now() - start) / 1000,
    load: [load0, loadavg()[0]!],
    repeats,
  };
  const md = renderMarkdown(meta, w, results, trainRefs);
  process.stdout.write(`\n${md}\n`);
  if (write) {
    const resDir = join(here, 'results');
    mkdirSync(resDir, { recursive: true });
    const base = quick ? 'quick' : 'latest';
    const json = {
      meta,
      workloads: w,
      trainReferences: trainRefs,
      modelReferences: MODEL_REFERENCE_LOSS,
      rows: buildRows(w, results),
      results,
    };
    writeFileSync(join(resDir, `${base}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(resDir, `${base}.md`), `${md}\n`);
    process.stderr.write(`wrote bench/results/${base}.json and bench/results/${base}.md\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
