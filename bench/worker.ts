/**
 * One benchmark worker: runs one case (or a whole group) of workloads for one peer, in its own
 * process (so the cold figure is that of a fresh process, each peer's memory and JIT state stay
 * apart and its peak RSS can be reported), and writes a {@link WorkerResult} as JSON. Started by
 * bench/run.ts once per peer, case and repeat:
 * `node --import tsx bench/worker.ts --peer=tapegrad --group=matmul --case=mm-256 --out=FILE [--quick]`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { makeBatch, mlpInit, Rng } from './lib/data.js';
import { chainRef, checkElementwise, checkMatmul } from './lib/reference.js';
import type { CaseResult, WorkerResult } from './lib/results.js';
import { modelInit } from './lib/models.js';
import { COLD_CALLS, coldCalls, timeIt, timingPresets, type TimingOptions } from './lib/timing.js';
import { DATA_SEED, WEIGHT_SEED, workloads, type Group } from './lib/workloads.js';
import type { Peer, PeerName, Prepared, Trainer } from './peers/peer.js';

/** Tolerances of the checks made before timing. */
const TOL = { matmul: 1e-4, elementwise: 1e-5, chainValue: 1e-4, chainGrad: 1e-3 } as const;

function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function loadPeer(name: PeerName): Promise<Peer> {
  switch (name) {
    case 'tapegrad':
      return (await import('./peers/tapegrad.js')).tapegradPeer();
    case 'tfjs-cpu':
      return (await import('./peers/tfjs.js')).tfjsPeer('cpu');
    case 'tfjs-wasm':
      return (await import('./peers/tfjs.js')).tfjsPeer('wasm');
    case 'jax-wasm':
      return (await import('./peers/jax.js')).jaxPeer();
    case 'js-pytorch':
      return (await import('./peers/jspytorch.js')).jsPytorchPeer();
  }
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}`.split('\n')[0]!.slice(0, 300) : String(e);
}

/** The cold calls stop early once they have taken this many times a case's time cap. */
const COLD_CAP_FACTOR = 3;

/**
 * How long one warm call takes, for the timing's calibration: the last cold call, or (when the
 * cap stopped the cold calls after the first, which includes compilation) one more call.
 */
async function warmCallMs(run: () => unknown, cold: { calls: number; lastMs: number }): Promise<number> {
  if (cold.calls > 1) return cold.lastMs;
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/**
 * A forward case in a fresh process: the cold figure (the first calls, timed one by one), then the
 * check against the float64 reference (a wrong result is not timed further), then the warm median.
 */
async function timedCase(
  id: string,
  prep: () => Prepared,
  check: (out: ArrayLike<number>) => { ok: boolean; detail: string },
  opts: TimingOptions,
): Promise<CaseResult> {
  try {
    const p = prep();
    const cold = await coldCalls(p.run, COLD_CALLS, COLD_CAP_FACTOR * opts.maxTotalMs);
    const result = check(await p.output());
    if (!result.ok) return { id, check: result, error: `wrong result (${result.detail}); not timed` };
    return {
      id,
      check: result,
      cold: { mean: cold.mean, calls: cold.calls },
      timing: await timeIt(p.run, opts, await warmCallMs(p.run, cold)),
    };
  } catch (e) {
    return { id, error: message(e) };
  }
}

/**
 * A training case in a fresh process: the cold figure over the first steps (the first loss is
 * that of the initial weights), then the warm median of further steps.
 */
async function trainedCase(id: string, trainer: Trainer, opts: TimingOptions): Promise<CaseResult> {
  let steps = 0;
  let lastLoss = NaN;
  const run = async (): Promise<number> => {
    lastLoss = await trainer.step();
    steps++;
    return lastLoss;
  };
  const cold = await coldCalls(run, COLD_CALLS, COLD_CAP_FACTOR * opts.maxTotalMs);
  const firstLoss = cold.first;
  let timing = await timeIt(run, opts, await warmCallMs(run, cold));
  if (timing.single && cold.calls > 1) {
    // One step alone passes the time cap: the warm figure is the mean of the cold steps after the first.
    const s = (cold.mean * cold.calls - cold.firstMs / 1000) / (cold.calls - 1);
    timing = { median: s, min: s, max: s, samples: 1, reps: 1, single: true };
  }
  const r: CaseResult = { id, timing, cold: { mean: cold.mean, calls: cold.calls }, firstLoss, lastLoss, steps };
  if (!(lastLoss < firstLoss) || !Number.isFinite(lastLoss))
    r.error = `loss did not decrease: ${firstLoss} → ${lastLoss} in ${steps} steps`;
  return r;
}

async function runGroup(peer: Peer, group: Group, quick: boolean, only: string | undefined): Promise<CaseResult[]> {
  const w = workloads(quick);
  const presets = timingPresets(quick);
  const out: CaseResult[] = [];
  const wanted = (id: string): boolean => only === undefined || only === id;
  const log = (r: CaseResult): void => {
    const t = r.timing
      ? `${(r.timing.median * 1e3).toFixed(3)} ms (cold ${((r.cold?.mean ?? NaN) * 1e3).toFixed(3)} ms)`
      : (r.na ?? r.error);
    process.stderr.write(`  ${peer.name.padEnd(10)} ${r.id.padEnd(24)} ${t}\n`);
    out.push(r);
  };
  if (group === 'matmul' && peer.matmul) {
    for (const c of w.matmul.filter((x) => wanted(x.id))) {
      const rng = new Rng(DATA_SEED);
      const a = rng.uniform(c.m * c.k, -1, 1);
      const b = rng.uniform(c.k * c.n, -1, 1);
      const big = c.m * c.n * c.k >= 512 ** 3;
      log(
        await timedCase(
          c.id,
          () => peer.matmul!(c, a, b),
          (o) => {
            const err = o.length === c.m * c.n ? checkMatmul(o, a, b, c.m, c.k, c.n, c.t) : Infinity;
            return { ok: err < TOL.matmul, detail: `24 entries vs float64, worst scaled error ${err.toExponential(2)}` };
          },
          big ? presets.slow : presets.default,
        ),
      );
    }
  } else if (group === 'elementwise' && peer.elementwise) {
    for (const c of w.elementwise.filter((x) => wanted(x.id))) {
      const rng = new Rng(DATA_SEED + 1);
      const x = rng.uniform(c.size, -4, 4);
      const y = rng.uniform(c.size, -4, 4);
      log(
        await timedCase(
          c.id,
          () => peer.elementwise!(c, x, y),
          (o) => {
            const err = checkElementwise(c.op, o, x, y);
            return { ok: err < TOL.elementwise, detail: `all elements vs float64, worst relative error ${err.toExponential(2)}` };
          },
          presets.default,
        ),
      );
    }
  } else if (group === 'chain' && peer.chain) {
    for (const c of w.chain.filter((x) => wanted(x.id))) {
      const ref = chainRef(c.n);
      log(
        await timedCase(
          c.id,
          () => peer.chain!(c),
          (o) => {
            const ev = Math.abs(o[0]! - ref.value) / Math.abs(ref.value);
            const eg = Math.abs(o[1]! - ref.gradW) / Math.abs(ref.gradW);
            return {
              ok: ev < TOL.chainValue && eg < TOL.chainGrad,
              detail: `value ${o[0]} (float64 ${ref.value.toPrecision(8)}), dvalue/dw ${o[1]} (float64 ${ref.gradW.toPrecision(8)})`,
            };
          },
          presets.default,
        ),
      );
    }
  } else if (group === 'train' && peer.train) {
    for (const c of w.train.filter((x) => wanted(x.id))) {
      try {
        const layers = mlpInit(c.sizes, WEIGHT_SEED);
        const batch = makeBatch(c.batch, c.sizes[0]!, c.sizes[c.sizes.length - 1]!, WEIGHT_SEED + 1);
        const big = c.sizes.some((s) => s >= 1024);
        log(await trainedCase(c.id, await peer.train(c, layers, batch), big ? presets.slow : presets.default));
      } catch (e) {
        log({ id: c.id, error: message(e) });
      }
    }
  } else if (group === 'models' && peer.model) {
    for (const c of w.models.filter((x) => wanted(x.id))) {
      const na = peer.modelUnavailable?.(c);
      if (na) {
        log({ id: c.id, na });
        continue;
      }
      try {
        log(await trainedCase(c.id, await peer.model(c, modelInit(c)), presets.slow));
      } catch (e) {
        log({ id: c.id, error: message(e) });
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  const peerName = arg('peer') as PeerName | undefined;
  const group = arg('group') as Group | undefined;
  const outFile = arg('out');
  const quick = process.argv.includes('--quick');
  const only = arg('case');
  if (!peerName || !group || !outFile) throw new Error('usage: worker.ts --peer=NAME --group=GROUP --out=FILE [--case=ID] [--quick]');
  const peer = await loadPeer(peerName);
  const supported = { matmul: peer.matmul, elementwise: peer.elementwise, train: peer.train, models: peer.model, chain: peer.chain }[group];
  const result: WorkerResult = {
    peer: peer.name,
    version: peer.version,
    group,
    cases: supported ? await runGroup(peer, group, quick, only) : [],
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (!supported) result.skipped = peer.notes?.[group] ?? 'not supported';
  const note = peer.notes?.[group];
  if (supported && note) result.note = note;
  writeFileSync(outFile, JSON.stringify(result, null, 2));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`worker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
