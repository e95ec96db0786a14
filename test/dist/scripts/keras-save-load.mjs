// The built ESM package from plain Node: a Keras model with Flatten, Dense and Dropout is trained,
// saved, loaded back and must predict the same; its layer class names survive the round trip.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keras, manualSeed, randn, randint } from 'tapegrad';

manualSeed(0);
const model = new keras.Sequential();
model.add(new keras.Flatten({ inputShape: [2, 3] }));
model.add(new keras.Dense({ units: 8, activation: 'relu' }));
model.add(new keras.Dropout(0.5));
model.add(new keras.Dense({ units: 3, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

const x = randn([16, 2, 3]);
const y = randint(0, 3, [16], { dtype: 'int32' });
await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-dist-'));
try {
  const file = path.join(dir, 'model.safetensors');
  model.save(file);
  const copy = keras.loadModel(file);
  assert.deepEqual(copy.getConfig().layers.map((l) => l.className), ['Flatten', 'Dense', 'Dropout', 'Dense']);
  assert.deepEqual(copy.layers.map((l) => l.constructor.name), ['Flatten', 'Dense', 'Dropout', 'Dense']);
  assert.deepEqual(copy.predict(x).toArray(), model.predict(x).toArray());
  // The loaded model was compiled from the saved options: it trains on.
  await copy.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log('keras save/load ok');
