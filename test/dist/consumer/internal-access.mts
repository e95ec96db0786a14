// Members marked @internal are not in the public typings: each line below must fail to type-check
// (test/dist/types.test.ts expects exactly these errors, so the consumer check cannot pass vacuously).
import { nn, tensor } from 'tapegrad';

const t = tensor([1, 2]);
export const storage = t._storage; // expect-error: _storage
export const strides = t._strides; // expect-error: _strides
export const buffers = new nn.Linear(2, 3)._bufferNames; // expect-error: _bufferNames
