/**
 * Turns the workers' records into the results table: absolute figures per peer, the best peer,
 * and the ratio tapegrad / best peer (as speeds, so > 1 means tapegrad is faster).
 * @module
 */
import { jsPytorchOpsPerChain } from '../peers/jspytorch.js';
import { PEERS, type PeerName } from '../peers/peer.js';
import type { CaseResult, WorkerResult } from './results.js';
import { matmulFlops, type Group, type Workloads } from './workloads.js';

/** Run facts printed above the tables. */
export interface RunMeta {
  /** ISO date of the run. */
  date: string;
  /** 'full' or 'quick'. */
  mode: 'full' | 'quick';
  /** Git commit of the tree measured, with "+dirty" when src/ had uncommitted changes. */
  commit: string;
  /** CPU model and logical cores. */
  cpu: string;
  /** Node version. */
  node: string;
  /** Wall time of the whole run, seconds. */
  wallSeconds: number;
  /** 1-minute load average at the start and at the end (the machine may be shared). */
  load: [number, number];
  /** Rounds run (peers in reverse order every other round); each case keeps its fastest round. */
  rounds: number;
}

/** One row of a results table. */
export interface Row {
  /** Workload id. */
  id: string;
  /** Row label. */
  label: string;
  /** The group. */
  group: Group;
  /** The figure per peer (GFLOP/s, ms, samples/s or µs per op), null when not run or failed. */
  values: Partial<Record<PeerName, number | null>>;
  /** The best of the peers other than tapegrad (js-pytorch excluded), and who. */
  best: { peer: PeerName; value: number } | null;
  /** tapegrad's speed divided by the best peer's (> 1: tapegrad faster). */
  ratio: number | null;
}

/** How each group's figure is defined. */
export const UNITS: Record<Group, { unit: string; higherIsBetter: boolean; title: string }> = {
  matmul: { unit: 'GFLOP/s', higherIsBetter: true, title: 'Matmul, float32 (GFLOP/s, higher is better)' },
  elementwise: { unit: 'ms', higherIsBetter: false, title: 'Elementwise, 2²⁰ float32 elements, new output each call (ms per op, lower is better)' },
  train: { unit: 'samples/s', higherIsBetter: true, title: 'Training steps: forward, backward, optimizer step, loss read back (samples/s, higher is better)' },
  chain: { unit: 'µs/op', higherIsBetter: false, title: 'Dynamic graph: 1000 ops on one-element tensors (mul, add, tanh) + backward (µs per op, lower is better)' },
};

/** Peers that count as "best peer" (js-pytorch runs a different op mix in the chain). */
const RATIO_PEERS: readonly PeerName[] = ['tfjs-cpu', 'tfjs-wasm', 'jax-wasm'];

function figure(group: Group, w: Workloads, r: CaseResult): number | null {
  if (!r.timing || r.error) return null;
  const s = r.timing.median;
  if (group === 'matmul') return matmulFlops(w.matmul.find((c) => c.id === r.id)!) / s / 1e9;
  if (group === 'elementwise') return s * 1e3;
  if (group === 'train') return w.train.find((c) => c.id === r.id)!.batch / s;
  return (s * 1e6) / w.chain.find((c) => c.id === r.id)!.n;
}

/**
 * The rows of every table.
 * @example
 * ```ts
 * const rows = buildRows(workloads(false), results);
 * ```
 */
export function buildRows(w: Workloads, results: readonly WorkerResult[]): Row[] {
  const rows: Row[] = [];
  for (const group of ['matmul', 'elementwise', 'train', 'chain'] as const) {
    for (const c of w[group]) {
      const values: Partial<Record<PeerName, number | null>> = {};
      for (const res of results.filter((x) => x.group === group)) {
        const r = res.cases.find((x) => x.id === c.id);
        if (r) values[res.peer] = figure(group, w, r);
      }
      const hib = UNITS[group].higherIsBetter;
      let best: Row['best'] = null;
      for (const p of RATIO_PEERS) {
        const v = values[p];
        if (v == null) continue;
        if (!best || (hib ? v > best.value : v < best.value)) best = { peer: p, value: v };
      }
      const t = values.tapegrad;
      const ratio = t != null && best ? (hib ? t / best.value : best.value / t) : null;
      rows.push({ id: c.id, label: c.label, group, values, best, ratio });
    }
  }
  return rows;
}

function fmt(v: number | null | undefined): string {
  if (v == null) return '—';
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

function cellMark(results: readonly WorkerResult[], group: Group, peer: PeerName, id: string): string {
  const r = results.find((x) => x.group === group && x.peer === peer)?.cases.find((x) => x.id === id);
  if (!r) return '';
  if (r.error) return ' ✗';
  if (r.timing?.single) return ' †';
  return '';
}

/**
 * The Markdown report: run facts, one table per group, the loss checks, peak RSS and notes.
 * @example
 * ```ts
 * writeFileSync('bench/results/latest.md', renderMarkdown(meta, w, results, refs));
 * ```
 */
export function renderMarkdown(meta: RunMeta, w: Workloads, results: readonly WorkerResult[], trainRefs: Record<string, number>): string {
  const rows = buildRows(w, results);
  const present = PEERS.filter((p) => results.some((r) => r.peer === p && !r.skipped));
  const versions = present.map((p) => `${p}: ${results.find((r) => r.peer === p)!.version}`);
  const out: string[] = [];
  out.push(`# tapegrad benchmark: ${meta.mode} run`, '');
  out.push(`${meta.date} · commit ${meta.commit} · ${meta.cpu} · Node ${meta.node} · wall time ${meta.wallSeconds.toFixed(0)} s · load average ${meta.load[0].toFixed(1)} → ${meta.load[1].toFixed(1)}`, '');
  out.push(`Peers: ${versions.join('; ')}.`, '');
  out.push(
    '**ratio** = tapegrad speed / best peer speed (best of tfjs-cpu, tfjs-wasm, jax-wasm): above 1 tapegrad is faster, below 1 it is slower. ' +
      `Each figure is the median of repeated samples after a warm-up${meta.rounds > 1 ? `, the faster of ${meta.rounds} rounds (peer order reversed in the second)` : ''}; every result was checked against an independent float64 reference before it was timed. ` +
      '✗ = failed or wrong (see Checks), † = a single call (too slow to repeat within the time cap), — = not run.',
    '',
  );
  for (const group of ['matmul', 'elementwise', 'train', 'chain'] as const) {
    const gRows = rows.filter((r) => r.group === group);
    const cols = present.filter((p) => results.some((r) => r.peer === p && r.group === group && !r.skipped));
    if (gRows.length === 0 || cols.length === 0) continue;
    out.push(`## ${UNITS[group].title}`, '');
    out.push(`| workload | ${cols.join(' | ')} | best peer | ratio |`);
    out.push(`|---|${cols.map(() => '---:').join('|')}|---|---:|`);
    for (const r of gRows) {
      const cells = cols.map((p) => fmt(r.values[p]) + cellMark(results, group, p, r.id));
      const ratio = r.ratio == null ? '—' : `**${r.ratio.toFixed(2)}×**`;
      out.push(`| ${r.label} | ${cells.join(' | ')} | ${r.best ? r.best.peer : '—'} | ${ratio} |`);
    }
    out.push('');
    if (group === 'chain') {
      const jp = results.find((r) => r.peer === 'js-pytorch' && r.group === 'chain');
      const c = w.chain[0];
      const t = jp?.cases[0]?.timing;
      if (c && t && !jp.cases[0]!.error) {
        out.push(
          `js-pytorch has no tanh, so its chain runs tanh as 6 of its ops (${jsPytorchOpsPerChain(c.n)} ops per chain): ${fmt((t.median * 1e6) / jsPytorchOpsPerChain(c.n))} µs per op it ran. Not counted as best peer.`,
          '',
        );
      }
    }
    if (group === 'train') out.push(...lossTable(w, results, trainRefs));
  }
  out.push('## Peak RSS per peer process (MiB)', '');
  const groups = ['matmul', 'elementwise', 'train', 'chain'] as const;
  out.push(`| peer | ${groups.join(' | ')} |`, `|---|${groups.map(() => '---:').join('|')}|`);
  for (const p of present) {
    const cells = groups.map((g) => {
      const r = results.find((x) => x.peer === p && x.group === g);
      return r && !r.skipped ? r.peakRssMiB.toFixed(0) : '—';
    });
    out.push(`| ${p} | ${cells.join(' | ')} |`);
  }
  out.push('', 'Each peer runs each group in a fresh Node process; the figure is that process\'s peak resident set size (`process.resourceUsage().maxRSS`), runtime and library included.', '');
  out.push(...checksSection(results));
  return out.join('\n');
}

function lossTable(w: Workloads, results: readonly WorkerResult[], refs: Record<string, number>): string[] {
  const out: string[] = ['Same initial weights and fixed batch for every peer: first loss (vs the float64 reference) → loss after the timed steps.', ''];
  const peers = PEERS.filter((p) => results.some((r) => r.peer === p && r.group === 'train' && !r.skipped));
  out.push(`| workload | float64 reference | ${peers.join(' | ')} |`, `|---|---:|${peers.map(() => '---').join('|')}|`);
  for (const c of w.train) {
    const cells = peers.map((p) => {
      const r = results.find((x) => x.peer === p && x.group === 'train')?.cases.find((x) => x.id === c.id);
      if (!r || r.firstLoss === undefined) return '—';
      const ok = lossOk(r, refs[c.id]!);
      return `${r.firstLoss.toFixed(5)} → ${r.lastLoss!.toFixed(5)} (${r.steps} steps) ${ok ? '✓' : '✗'}`;
    });
    out.push(`| ${c.label} | ${refs[c.id]!.toFixed(5)} | ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}

/**
 * True when a training record's first loss matches the float64 reference (relative 1e-4) and
 * its loss went down.
 * @example
 * ```ts
 * lossOk({ id: 'x', firstLoss: 2.3, lastLoss: 2.1 }, 2.3); // true
 * ```
 */
export function lossOk(r: CaseResult, ref: number): boolean {
  return r.firstLoss !== undefined && r.lastLoss !== undefined && Math.abs(r.firstLoss - ref) <= 1e-4 * Math.abs(ref) && r.lastLoss < r.firstLoss;
}

function checksSection(results: readonly WorkerResult[]): string[] {
  const out: string[] = ['## Checks and notes', ''];
  for (const res of results) {
    if (res.skipped) continue;
    for (const r of res.cases) {
      if (r.error) out.push(`- ✗ ${res.peer} ${r.id}: ${r.error}`);
      else if (r.timing?.single) out.push(`- † ${res.peer} ${r.id}: one call took ${r.timing.median.toFixed(1)} s; timed once${res.group === 'train' ? ' (the second step)' : ', cold'}.`);
    }
  }
  const failures = out.length - 2;
  if (failures === 0) out.push('- Every timed result passed its check.');
  const notes = new Set<string>();
  for (const res of results) if (res.note) notes.add(`- ${res.peer} (${res.group}): ${res.note}`);
  out.push(...notes, '');
  return out;
}
