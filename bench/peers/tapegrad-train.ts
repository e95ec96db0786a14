/**
 * tapegrad's training workloads (nn + optim), kept apart from the kernel workloads.
 * @module
 */
import type { Batch, LayerInit } from '../lib/data.js';
import type { TrainCase } from '../lib/workloads.js';
import type { Trainer } from './peer.js';

/**
 * Builds tapegrad's MLP with the given weights and its optimizer.
 * @example
 * ```ts
 * const t = await tapegradTrainer(c, layers, batch);
 * ```
 */
export async function tapegradTrainer(c: TrainCase, layers: readonly LayerInit[], batch: Batch): Promise<Trainer> {
  void layers;
  void batch;
  throw new Error(`${c.id}: tapegrad's nn.Linear / optim are not in the tree yet`);
}
