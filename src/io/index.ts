/**
 * The `io` namespace: numpy's `.npy`/`.npz` files and one-call training checkpoints. (State dicts
 * alone are saved with `nn.save`/`nn.load`.)
 * @module
 */
export { saveNpy, loadNpy, toNpy, fromNpy, saveNpz, loadNpz, toNpz, fromNpz, type NpzOptions } from './numpy.js';
export { saveCheckpoint, loadCheckpoint, type Stateful, type RandomState } from './checkpoint.js';
