/**
 * What each framework under test provides to the harness. A peer prepares a case (operands
 * loaded, weights set) outside the clock, then the harness times `run`.
 * @module
 */
import type { Batch, LayerInit } from '../lib/data.js';
import type { Runner } from '../lib/timing.js';
import type { ModelCase, ModelInit } from '../lib/models.js';
import type { ChainCase, ElementwiseCase, MatmulCase, TrainCase } from '../lib/workloads.js';

/** The names of the peers, as they appear in the results. */
export type PeerName = 'tapegrad' | 'tfjs-cpu' | 'tfjs-wasm' | 'jax-wasm' | 'js-pytorch';

/** All peers, tapegrad first. */
export const PEERS: readonly PeerName[] = ['tapegrad', 'tfjs-cpu', 'tfjs-wasm', 'jax-wasm', 'js-pytorch'];

/** A prepared forward-only case: `run` is timed; `output` computes once and reads the result back for the check. */
export interface Prepared {
  /** One timed call; completes the computation (forces lazy results) but need not read it back. */
  run: Runner;
  /** Computes once and returns the result as numbers (for the correctness check). */
  output(): Promise<ArrayLike<number>>;
}

/** A prepared training loop on a fixed batch. */
export interface Trainer {
  /** One step: forward, backward, optimizer step; returns the loss read back as a JS number. */
  step(): number | Promise<number>;
}

/** A framework under test. Missing methods mean the peer does not run that group. */
export interface Peer {
  /** Result name. */
  name: PeerName;
  /** Library name and version, for the report. */
  version: string;
  /** Prepares a matmul case. */
  matmul?(c: MatmulCase, a: Float32Array, b: Float32Array): Prepared;
  /** Prepares an elementwise case (`y` is the second operand of add and mul). */
  elementwise?(c: ElementwiseCase, x: Float32Array, y: Float32Array): Prepared;
  /** Builds the model with the given initial weights (PyTorch layout) and its optimizer. */
  train?(c: TrainCase, layers: readonly LayerInit[], batch: Batch): Promise<Trainer>;
  /** Builds a model (CNN, LSTM, encoder block) with the given initial parameters, and Adam. */
  model?(c: ModelCase, init: ModelInit): Promise<Trainer>;
  /**
   * Why this peer cannot train a model case at all ("n/a: ..."), checked before the case runs;
   * absent when it can.
   */
  modelUnavailable?(c: ModelCase): string | undefined;
  /** Prepares the chain case; `output` returns [final value, d value / d w]. */
  chain?(c: ChainCase): Prepared;
  /** Why a group is missing or differs, for the report. */
  notes?: Partial<Record<'matmul' | 'elementwise' | 'train' | 'models' | 'chain', string>>;
}

/**
 * Imports a peer library from bench/node_modules. The specifier is a variable on purpose: the
 * root type-check must not need the benchmark's dependencies, so each peer types the calls it
 * uses by hand.
 * @example
 * ```ts
 * const jax = await importPeer<{ init(d: string): Promise<string[]> }>('@jax-js/jax');
 * ```
 */
export async function importPeer<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}

/**
 * The version of a package installed in bench/node_modules, or 'unknown'.
 * @example
 * ```ts
 * const v = await packageVersion('@tensorflow/tfjs');
 * ```
 */
export async function packageVersion(pkg: string): Promise<string> {
  try {
    const { readFile } = await import('node:fs/promises');
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    const json = JSON.parse(await readFile(url, 'utf8')) as { version?: string };
    return json.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
