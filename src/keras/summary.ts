/**
 * `Sequential.summary()`: the Keras table of layers, output shapes and parameter counts, from the
 * same rows as `nn.summary`.
 * @module
 */
import { bool, fn, parseOptions } from '../autograd/args.js';
import { ValueError } from '../autograd/errors.js';
import { streamCheck } from './evaluation.js';
import { ModuleLayer, layerClassName } from './layer-base.js';
import { KERAS_KEYS } from './names.js';
import type { OutputStream } from './progress.js';
import type { Sequential } from './sequential.js';
import { paramTotals, summaryRows, thousands } from '../nn/summary-rows.js';

/** Options of `summary()`. */
export interface SummaryOptions {
  /** Print the table (default true). */
  print?: boolean;
  /** Where to print it (default `process.stdout`). */
  stream?: OutputStream;
  /** Called with each line instead of printing (Keras' `print_fn`). */
  printFn?: (line: string) => void;
}

const SUMMARY_SPEC = { print: bool, stream: streamCheck, printFn: fn };

function cell(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/**
 * Builds (and prints) the summary table of `model`: the rows and parameter counts come from the
 * code behind `nn.summary` (depth 1: the layers), the output shapes from the model's own shape
 * inference, laid out as Keras prints it.
 * @internal
 */
export function summarize(model: Sequential, options: SummaryOptions = {}): string {
  const o = parseOptions('Sequential.summary', options, SUMMARY_SPEC, { ...KERAS_KEYS, forms: 'summary({ print, stream, printFn })' });
  if (o.printFn !== undefined && o.stream !== undefined) throw new ValueError('Sequential.summary: give stream or printFn, not both');
  if (!model.built) {
    throw new ValueError(
      'Sequential.summary: the model is not built yet; give the first layer inputDim or inputShape, call model.build(inputShape), or fit it first',
    );
  }
  const byModule = new Map(summaryRows(model, 1, new Map()).map((r) => [r.module, r]));
  const rows: [string, string, string][] = model.layers.map((layer, i) => {
    const shape = model._outShapes[i]!;
    const type = layer instanceof ModuleLayer ? layer.module.moduleName() : layerClassName(layer);
    return [`${layer.name} (${type})`, `(None, ${shape.join(', ')})`, thousands(byModule.get(layer)?.totalParams ?? 0)];
  });
  const totals = paramTotals(model);
  const total = totals.total;
  const trainable = totals.trainable;
  const w0 = Math.max(29, ...rows.map((r) => r[0].length + 2));
  const w1 = Math.max(26, ...rows.map((r) => r[1].length + 2));
  const w2 = Math.max(10, ...rows.map((r) => r[2].length + 1));
  const width = 1 + w0 + w1 + w2;
  const line = (c: string): string => c.repeat(width);
  const out = [
    `Model: "${model.name}"`,
    line('_'),
    ` ${cell('Layer (type)', w0)}${cell('Output Shape', w1)}${cell('Param #', w2)}`.trimEnd(),
    line('='),
    ...rows.map((r) => ` ${cell(r[0], w0)}${cell(r[1], w1)}${r[2]}`),
    line('='),
    `Total params: ${thousands(total)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(total - trainable)}`,
    line('_'),
  ].join('\n');
  if (o.print ?? true) {
    if (o.printFn !== undefined) for (const line of out.split('\n')) (o.printFn as (line: string) => void)(line);
    else (o.stream ?? process.stdout).write(`${out}\n`);
  }
  return out;
}
