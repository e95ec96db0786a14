/**
 * The benchmark against the peers: `npm run bench` (full run, ~10 minutes) or
 * `npm run bench -- --quick` (~1 minute). Options: `--peers=tapegrad,tfjs-wasm`,
 * `--groups=matmul,train`, `--rounds=N` (default 2, quick 1), `--no-write` (print only),
 * `--ci` (reinstall the peers first).
 *
 * Each peer runs each group of workloads in its own Node process (bench/worker.ts), one after
 * the other, on the same seeded data and initial weights. Results go to bench/results/
 * (latest.{json,md} for a full run, quick.{json,md} for a quick one).
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBatch, mlpInit } from './lib/data.js';
import { mlpLoss64 } from './lib/reference.js';
import { buildRows, lossOk, renderMarkdown, type RunMeta } from './lib/report.js';
import type { CaseResult, WorkerResult } from './lib/results.js';
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

function runWorker(peer: PeerName, group: Group, quick: boolean, dir: string): WorkerResult {
  const out = join(dir, `${peer}-${group}.json`);
  const args = ['--import', 'tsx', join(here, 'worker.ts'), `--peer=${peer}`, `--group=${group}`, `--out=${out}`];
  if (quick) args.push('--quick');
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
  try {
    return JSON.parse(readFileSync(out, 'utf8')) as WorkerResult;
  } catch {
    const why = r.error ? r.error.message : `exit code ${r.status}${r.signal ? `, signal ${r.signal}` : ''}`;
    return { peer, version: 'unknown', group, peakRssMiB: 0, cases: [{ id: '*', error: `worker failed (${why})` }] };
  }
}

/**
 * One result per peer and group from several rounds: each case keeps the round with the fastest
 * median (any round's failed check fails the case); peak RSS is the largest of the rounds.
 */
function mergeRounds(rounds: readonly WorkerResult[][]): WorkerResult[] {
  const first = rounds[0] ?? [];
  return first.map((base) => {
    const same = rounds.map((r) => r.find((x) => x.peer === base.peer && x.group === base.group)).filter((x): x is WorkerResult => !!x);
    const cases = base.cases.map((c) => {
      const all = same.map((r) => r.cases.find((x) => x.id === c.id)).filter((x): x is CaseResult => !!x);
      const failed = all.find((x) => x.error);
      if (failed) return failed;
      const best = all.reduce((a, b) => (b.timing && a.timing && b.timing.median < a.timing.median ? b : a));
      return { ...best, roundMedians: all.map((x) => x.timing?.median ?? NaN) };
    });
    return { ...base, cases, peakRssMiB: Math.max(...same.map((r) => r.peakRssMiB)) };
  });
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const write = !process.argv.includes('--no-write');
  const peers = listArg('peers', PEERS) as PeerName[];
  const groups = listArg('groups', GROUPS) as Group[];
  const roundsArg = process.argv.find((a) => a.startsWith('--rounds='))?.slice(9);
  const nRounds = Math.max(1, Number(roundsArg ?? (quick ? 1 : 2)) || 1);
  const w = workloads(quick);
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
    // Rounds, peers in reverse order every other round, so that a burst of load from elsewhere
    // on a shared machine does not land on one peer only; each case keeps its fastest round.
    const rounds: WorkerResult[][] = [];
    for (let round = 0; round < nRounds; round++) {
      const order = round % 2 === 0 ? peers : [...peers].reverse();
      const got: WorkerResult[] = [];
      for (const group of groups) {
        process.stderr.write(`[round ${round + 1}/${nRounds}: ${group}]\n`);
        for (const peer of order) if (SUPPORT[peer].includes(group)) got.push(runWorker(peer, group, quick, dir));
      }
      rounds.push(got);
    }
    results.push(...mergeRounds(rounds));
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

  const cpu = cpus();
  const meta: RunMeta = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    mode: quick ? 'quick' : 'full',
    commit: gitCommit(),
    cpu: `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} logical cores`,
    node: process.version,
    wallSeconds: (performance.now() - start) / 1000,
    load: [load0, loadavg()[0]!],
    rounds: nRounds,
  };
  const md = renderMarkdown(meta, w, results, trainRefs);
  process.stdout.write(`\n${md}\n`);
  if (write) {
    const resDir = join(here, 'results');
    mkdirSync(resDir, { recursive: true });
    const base = quick ? 'quick' : 'latest';
    const json = { meta, workloads: w, trainReferences: trainRefs, rows: buildRows(w, results), results };
    writeFileSync(join(resDir, `${base}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(resDir, `${base}.md`), `${md}\n`);
    process.stderr.write(`wrote bench/results/${base}.json and bench/results/${base}.md\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
