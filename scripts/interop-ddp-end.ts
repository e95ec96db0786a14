// Loads the model PyTorch trained with DDP (scripts/torch-ddp-from-tapegrad.py) back into tapegrad,
// strictly, and evaluates it on the same data.
//   npx tsx scripts/interop-ddp-end.ts run/start.safetensors run/ddp.safetensors
import { io, nn } from '../src/index.js';

const [start = 'start.safetensors', trained = 'ddp.safetensors'] = process.argv.slice(2);
const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 1));
const { x, y } = io.loadNpz(start.replace(/\.safetensors$/, '') + '-data.npz');
io.loadCheckpoint(start, { model });
const before = model.call(x!).sub(y!).pow(2).mean().item();
const result = model.loadStateDict(nn.load(trained));
const after = model.call(x!).sub(y!).pow(2).mean().item();
console.log(`tapegrad: loaded ${trained} strictly (${JSON.stringify(result)}); loss ${before.toFixed(4)} -> ${after.toFixed(4)}`);
