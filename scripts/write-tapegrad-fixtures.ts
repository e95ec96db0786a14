// Writes tapegrad's side of the PyTorch fixtures into a folder (the first argument): for every case of
// test/nn/torch-fixture-cases.ts, <case>.safetensors (the state dict, via nn.save) and
// <case>.io.safetensors (the inputs and tapegrad's outputs). scripts/make-torch-fixtures.py runs this
// and loads the files into PyTorch with strict=True.
//   npx tsx scripts/write-tapegrad-fixtures.ts /tmp/out
import { join } from 'node:path';
import { nn } from '../src/index.js';
import { fixtureTags, makeTapegradCase } from '../test/nn/torch-fixture-cases.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tsx scripts/write-tapegrad-fixtures.ts <folder>');
for (const [tag, c, dtype] of fixtureTags()) {
  const { module, io } = makeTapegradCase(c, dtype, 7);
  nn.save(module.stateDict(), join(dir, `${tag}.safetensors`), { format: 'pt', writer: 'tapegrad' });
  const outputs = c.run(module, io);
  nn.save({ ...io, ...outputs }, join(dir, `${tag}.io.safetensors`));
}
console.log(`tapegrad wrote ${fixtureTags().length} cases to the temporary folder`);
