/** Options meta-test entries for the onnx exports (see types.ts). */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { OptionsTable } from './types.js';

/** A path the calls never reach: the options are rejected before anything is traced or written. */
const unusedPath = join(tmpdir(), 'tapegrad-options-meta-never-written.onnx');

/** Entries of the onnx area. */
export const table: OptionsTable = {
  'onnx.exportModel': (tg, options) => tg.onnx.exportModel(new tg.nn.Linear(2, 1), tg.zeros([2, 2]), unusedPath, options),
  'onnx.toBytes': (tg, options) => tg.onnx.toBytes(new tg.nn.Linear(2, 1), tg.zeros([2, 2]), options),
  'keras.Sequential#export': (tg, options) => {
    const model = new tg.keras.Sequential([new tg.keras.Dense({ units: 1, inputDim: 2 })]);
    return model.export(unusedPath, options);
  },
};
