/**
 * Turns the workers' records into the results table: absolute figures per peer, the best peer,
 * and the ratio tapegrad / best peer (as speeds, so > 1 means tapegrad is faster).
 * @module
 */
import { jsPytorchOpsPerChain } from '../peers/jspytorch.js';
import { PEERS, type PeerName } from '../peers/peer.js';
import { MODEL_REFERENCE_LOSS } from './model-reference.js';
import type { CaseResult, WorkerResult } from './results.js';
import { COLD_CALLS } from './timing.js';
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
  /** Fresh processes per case and peer (peers in reverse order every other repeat). */
  repeats: number;
}

/** One row of a results table. */
export interface Row {
  /** Workload id. */
  id: string;
  /** Row label. */
  label: string;
  /** The group. */
  group: Group;
  /** The figure per peer (GFLOP/s, ms, samples/s or µs per op): the median over fresh processes, null when not run or failed. */
  values: Partial<Record<PeerName, number | null>>;
  /** The spread of the per-process figures per peer: [min, max] in the figure's unit. */
  spread: Partial<Record<PeerName, [number, number] | null>>;
  /** The cold figure per peer: the first calls (steps) of a fresh process, in the figure's unit. */
  cold: Partial<Record<PeerName, number | null>>;
  /** tapegrad's cold speed divided by the best cold peer's. */
  coldRatio: number | null;
  /** The best of the peers other than tapegrad (js-pytorch excluded), and who. */
  best: { peer: PeerName; value: number } | null;
  /** tapegrad's speed divided by the best peer's (> 1: tapegrad faster). */
  ratio: number | null;
}

/** How each group's figure is defined. */
export const UNITS: Record<Group, { unit: string; higherIsBetter: boolean; title: string }> = {
  matmul: { unit: 'GFLOP/s', higherIsBetter: true, title: 'Matmul, float32 (GFLOP/s, higher is better)' },
  elementwise: {
    unit: 'ms',
    higherIsBetter: false,
    title: 'Elementwise, 2²⁰ float32 elements, new output each call (ms per op, lower is better)',
  },
  train: {
    unit: 'samples/s',
    higherIsBetter: true,
    title: 'Training steps: forward, backward, optimizer step, loss read back (samples/s, higher is better)',
  },
  models: {
    unit: 'samples/s',
    higherIsBetter: true,
    title: 'Training a CNN, an LSTM and an encoder block: forward, backward, Adam step, loss read back (samples/s, higher is better)',
  },
  chain: {
    unit: 'µs/op',
    higherIsBetter: false,
    title: 'Dynamic graph: 1000 ops on one-element tensors (mul, add, tanh) + backward (µs per op, lower is better)',
  },
};

/** The groups in report order. */
const GROUP_ORDER = ['matmul', 'elementwise', 'train', 'models', 'chain'] as const;

/** Peers that count as "best peer" (js-pytorch runs a different op mix in the chain). */
const RATIO_PEERS: readonly PeerName[] = ['tfjs-cpu', 'tfjs-wasm', 'jax-wasm'];

/** A time in seconds per call as the group's figure. */
function asFigure(group: Group, w: Workloads, id: string, s: number): number {
  if (group === 'matmul') return matmulFlops(w.matmul.find((c) => c.id === id)!) / s / 1e9;
  if (group === 'elementwise') return s * 1e3;
  if (group === 'train') return w.train.find((c) => c.id === id)!.batch / s;
  if (group === 'models') return w.models.find((c) => c.id === id)!.batch / s;
  return (s * 1e6) / w.chain.find((c) => c.id === id)!.n;
}

function figure(group: Group, w: Workloads, r: CaseResult): number | null {
  if (!r.timing || r.error || r.na) return null;
  return asFigure(group, w, r.id, r.timing.median);
}

function coldFigure(group: Group, w: Workloads, r: CaseResult): number | null {
  if (!r.cold || r.error || r.na || !Number.isFinite(r.cold.mean)) return null;
  return asFigure(group, w, r.id, r.cold.mean);
}

/** Best of the ratio peers and tapegrad's ratio to it, for one kind of figure. */
function bestAndRatio(values: Partial<Record<PeerName, number | null>>, hib: boolean): { best: Row['best']; ratio: number | null } {
  let best: Row['best'] = null;
  for (const p of RATIO_PEERS) {
    const v = values[p];
    if (v == null) continue;
    if (!best || (hib ? v > best.value : v < best.value)) best = { peer: p, value: v };
  }
  const t = values.tapegrad;
  return { best, ratio: t != null && best ? (hib ? t / best.value : best.value / t) : null };
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
  for (const group of GROUP_ORDER) {
    for (const c of w[group]) {
      const values: Row['values'] = {};
      const spread: Row['spread'] = {};
      const cold: Row['cold'] = {};
      for (const res of results.filter((x) => x.group === group)) {
        const r = res.cases.find((x) => x.id === c.id);
        if (!r) continue;
        values[res.peer] = figure(group, w, r);
        cold[res.peer] = coldFigure(group, w, r);
        const t = r.timing;
        const ends =
          t && !r.error && !r.na ? [asFigure(group, w, c.id, t.max), asFigure(group, w, c.id, t.min)].sort((x, y) => x - y) : null;
        spread[res.peer] = ends ? [ends[0]!, ends[1]!] : null;
      }
      if (Object.keys(values).length === 0) continue; // not run (--cases)
      const hib = UNITS[group].higherIsBetter;
      const { best, ratio } = bestAndRatio(values, hib);
      const coldRatio = bestAndRatio(cold, hib).ratio;
      rows.push({ id: c.id, label: c.label, group, values, spread, cold, best, ratio, coldRatio });
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
  if (r.na) return 'n/a';
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
  out.push(
    `${meta.date} · commit ${meta.commit} · ${meta.cpu} · Node ${meta.node} · wall time ${meta.wallSeconds.toFixed(0)} s · load average ${meta.load[0].toFixed(1)} → ${meta.load[1].toFixed(1)}`,
    '',
  );
  out.push(`Peers: ${versions.join('; ')}.`, '');
  out.push(
    '**ratio** = tapegrad speed / best peer speed (best of tfjs-cpu, tfjs-wasm, jax-wasm): above 1 tapegrad is faster, below 1 it is slower. ' +
      `Every case ran for every peer in ${meta.repeats} fresh Node process${meta.repeats > 1 ? 'es' : ''} (peer order reversed every other repeat). ` +
      "A figure is the median over those processes of each one's warm median (after a warm-up), with the spread of the per-process figures (min–max) beneath it; " +
      `**cold** is the first ${COLD_CALLS} calls (training steps) of a fresh process, the very first included (mean time per call, averaged over the processes), and **cold ratio** compares those. ` +
      'Every result was checked against an independent float64 reference before it was timed. ' +
      '✗ = failed or wrong (see Checks), † = a single call (too slow to repeat within the time cap), n/a = the peer cannot run it (see Checks), — = not run.',
    '',
  );
  for (const group of GROUP_ORDER) {
    const gRows = rows.filter((r) => r.group === group);
    const cols = present.filter((p) => results.some((r) => r.peer === p && r.group === group && !r.skipped));
    if (gRows.length === 0 || cols.length === 0) continue;
    out.push(`## ${UNITS[group].title}`, '');
    out.push(`| workload | ${cols.map((p) => `${p} | ${p} cold`).join(' | ')} | best peer | ratio | cold ratio |`);
    out.push(`|---|${cols.map(() => '---:|---:').join('|')}|---|---:|---:|`);
    for (const r of gRows) {
      const cells = cols.map((p) => {
        const mark = cellMark(results, group, p, r.id);
        if (mark === 'n/a') return 'n/a | n/a';
        const sp = r.spread[p];
        const main = fmt(r.values[p]) + mark + (sp && meta.repeats > 1 ? `<br><sub>${fmt(sp[0])}–${fmt(sp[1])}</sub>` : '');
        return `${main} | ${fmt(r.cold[p])}`;
      });
      const ratio = r.ratio == null ? '—' : `**${r.ratio.toFixed(2)}×**`;
      const coldRatio = r.coldRatio == null ? '—' : `${r.coldRatio.toFixed(2)}×`;
      out.push(`| ${r.label} | ${cells.join(' | ')} | ${r.best ? r.best.peer : '—'} | ${ratio} | ${coldRatio} |`);
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
    if (group === 'models') out.push(...modelLossTable(w, results));
  }
  out.push('## Peak RSS per peer process (MiB)', '');
  const groups = GROUP_ORDER;
  out.push(`| peer | ${groups.join(' | ')} |`, `|---|${groups.map(() => '---:').join('|')}|`);
  for (const p of present) {
    const cells = groups.map((g) => {
      const r = results.find((x) => x.peer === p && x.group === g);
      return r && !r.skipped ? r.peakRssMiB.toFixed(0) : '—';
    });
    out.push(`| ${p} | ${cells.join(' | ')} |`);
  }
  out.push(
    '',
    "The largest over the fresh processes of the group (one per case and repeat) of the process's peak resident set size (`process.resourceUsage().maxRSS`), runtime and library included.",
    '',
  );
  out.push(...checksSection(results));
  return out.join('\n');
}

function lossTable(w: Workloads, results: readonly WorkerResult[], refs: Record<string, number>): string[] {
  const out: string[] = [
    'Same initial weights and fixed batch for every peer: first loss (vs the float64 reference) → loss after the timed steps.',
    '',
  ];
  const peers = PEERS.filter((p) => results.some((r) => r.peer === p && r.group === 'train' && !r.skipped));
  out.push(`| workload | float64 reference | ${peers.join(' | ')} |`, `|---|---:|${peers.map(() => '---').join('|')}|`);
  for (const c of w.train) {
    if (!results.some((x) => x.group === 'train' && x.cases.some((r) => r.id === c.id))) continue;
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

function modelLossTable(w: Workloads, results: readonly WorkerResult[]): string[] {
  const out: string[] = [
    `Same initial parameters and fixed batch for every peer: first loss → loss after the timed steps. A row counts only if every peer's first loss agrees with tapegrad's to ~6 digits and with PyTorch's float64 first loss (relative 1e-5).`,
    '',
  ];
  const peers = PEERS.filter((p) => results.some((r) => r.peer === p && r.group === 'models' && !r.skipped));
  out.push(`| workload | PyTorch float64 | ${peers.join(' | ')} |`, `|---|---:|${peers.map(() => '---').join('|')}|`);
  for (const c of w.models) {
    if (!results.some((x) => x.group === 'models' && x.cases.some((r) => r.id === c.id))) continue;
    const cells = peers.map((p) => {
      const r = results.find((x) => x.peer === p && x.group === 'models')?.cases.find((x) => x.id === c.id);
      if (!r || r.na) return r?.na ? 'n/a' : '—';
      if (r.firstLoss === undefined) return '✗';
      return `${r.firstLoss.toPrecision(8)} → ${r.lastLoss!.toFixed(5)} ${r.error ? '✗' : '✓'}`;
    });
    const ref = MODEL_REFERENCE_LOSS[c.id];
    out.push(`| ${c.label} | ${ref === undefined ? '—' : ref.toPrecision(8)} | ${cells.join(' | ')} |`);
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
  return (
    r.firstLoss !== undefined && r.lastLoss !== undefined && Math.abs(r.firstLoss - ref) <= 1e-4 * Math.abs(ref) && r.lastLoss < r.firstLoss
  );
}

function checksSection(results: readonly WorkerResult[]): string[] {
  const out: string[] = ['## Checks and notes', ''];
  for (const res of results) {
    if (res.skipped) continue;
    for (const r of res.cases) {
      if (r.na) out.push(`- ${res.peer} ${r.id}: ${r.na}`);
      else if (r.error) out.push(`- ✗ ${res.peer} ${r.id}: ${r.error}`);
      else if (r.timing?.single)
        out.push(
          `- † ${res.peer} ${r.id}: one call took ${r.timing.median.toFixed(1)} s; timed once${res.group === 'train' || res.group === 'models' ? ' (the mean of the cold steps after the first, or one more step)' : ' (a warm call)'}.`,
        );
    }
  }
  const failures = results.some((res) => !res.skipped && res.cases.some((r) => r.error));
  if (!failures) out.push('- Every timed result passed its check.');
  const notes = new Set<string>();
  for (const res of results) if (res.note) notes.add(`- ${res.peer} (${res.group}): ${res.note}`);
  out.push(...notes, '');
  return out;
}
