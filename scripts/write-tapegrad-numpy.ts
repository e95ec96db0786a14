// Writes .npy/.npz files with tapegrad's io functions into a folder (the first argument);
// scripts/make-numpy-fixtures.py reads them back with numpy.load.
//   npx tsx scripts/write-tapegrad-numpy.ts /tmp/out
import { join } from 'node:path';
import { io, tensor } from '../src/index.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tsx scripts/write-tapegrad-numpy.ts <folder>');
const f4 = tensor([
  [0, 0.5, 1],
  [1.5, 2, 2.5],
]);
const i4 = tensor(
  [
    [-3, -2, -1],
    [0, 1, 2],
  ],
  { dtype: 'int32' },
);
io.saveNpy(join(dir, 'f4.npy'), f4);
io.saveNpy(join(dir, 'f8.npy'), tensor([NaN, Infinity, -0, 1.5], { dtype: 'float64' }));
io.saveNpy(join(dir, 'i4.npy'), i4);
io.saveNpy(join(dir, 'b1.npy'), tensor([true, false, true]));
io.saveNpy(join(dir, 'scalar.npy'), tensor(2.5, { dtype: 'float64' }));
io.saveNpz(join(dir, 'arrays.npz'), { x: f4, y: i4 });
io.saveNpz(join(dir, 'arrays_compressed.npz'), { x: f4, y: i4 }, { compressed: true });
console.log('tapegrad wrote 5 .npy and 2 .npz files');
