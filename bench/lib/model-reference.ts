/**
 * PyTorch's first losses of the model workloads (bench/lib/models.ts), computed once in float64
 * with torch 1.13 from the same seeded parameters and batches (`nn.Conv2d`, `F.max_pool2d`,
 * `nn.LSTM(batch_first=True)`, `nn.LayerNorm`, `nn.MultiheadAttention(batch_first=True,
 * need_weights=False)`, `F.cross_entropy`): an independent reference for every peer's first loss.
 * If the seeds or the models change, these must be recomputed.
 * @module
 */

/** The float64 first loss of each model case, by id. */
export const MODEL_REFERENCE_LOSS: Readonly<Record<string, number>> = {
  'train-cnn': 2.3078970042166254,
  'train-lstm': 2.343231548368195,
  'train-attn': 2.2795423861896267,
};
