/**
 * Tools for training loops, PyTorch-style or keras `fit`: a metrics logger writing JSON Lines or
 * CSV ({@link MetricsLogger}, {@link readLog}), a tqdm-style progress bar ({@link progress}) and
 * training curves as a standalone SVG ({@link plotHistory}). See docs/training-curves.md.
 * @example
 * ```ts
 * import { train } from 'tapegrad';
 * const logger = new training.MetricsLogger('runs/log.jsonl');
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const batch of training.progress([1, 2, 3], { desc: `epoch ${epoch + 1}` })) {
 *     // ... a training step ...
 *   }
 *   logger.log({ epoch, loss: 1 / (epoch + 1) });
 * }
 * training.plotHistory('runs/log.jsonl', 'runs/curves.svg');
 * ```
 * @module
 */
export { MetricsLogger, type MetricsLoggerOptions } from './logger.js';
export { readLog, type ReadLogOptions } from './read-log.js';
export type { LogRecord, LogValue, LogFormat } from './log-format.js';
export { progress, ProgressBar, type ProgressBarOptions, type ProgressStream, type Postfix } from './progress.js';
export { plotHistory, historySvg, type PlotHistoryOptions } from './plot.js';
export type { HistoryLike, HistorySource, PlotRecord, EpochReduce } from './history-series.js';
