/** Every area's corpus, in one list. Each area keeps its calls in its own file. */
import type { WrongCall } from './types.js';
import { calls as autograd } from './autograd.js';
import { calls as nn } from './nn.js';
import { calls as optim } from './optim.js';
import { calls as data } from './data.js';
import { calls as keras } from './keras.js';
import { calls as onnx } from './onnx.js';
import { calls as io } from './io.js';
import { calls as testing } from './testing.js';
import { calls as training } from './training.js';
import { calls as runtime } from './runtime.js';

/** The corpus, grouped by area. */
export const corpus: Readonly<Record<string, readonly WrongCall[]>> = { autograd, nn, optim, data, keras, onnx, io, testing, training, runtime };
