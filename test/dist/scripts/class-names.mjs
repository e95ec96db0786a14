// The built ESM package keeps its class names (summaries, module printing, error names) and prints
// tensors like PyTorch through console.log / util.inspect.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { keras, nn, tensor, ValueError } from 'tapegrad';

const model = new keras.Sequential();
model.add(new keras.Flatten({ inputShape: [2, 3] }));
model.add(new keras.Dense({ units: 4, activation: 'relu' }));
model.add(new keras.Dropout(0.2));
model.add(new keras.Dense({ units: 2 }));
const summary = model.summary({ print: false });
for (const name of ['Flatten', 'Dense', 'Dropout']) assert.match(summary, new RegExp(`\\(${name}\\)`), summary);
assert.doesNotMatch(summary, /[A-Za-z]\d\b.*\(|Sequential\d|Dense\d|Flatten\d|Dropout\d/, summary);

const net = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Dropout(0.1));
const printed = String(net);
assert.match(printed, /^Sequential\(/, printed);
for (const name of ['Linear', 'ReLU', 'Dropout']) assert.match(printed, new RegExp(`\\(\\d\\): ${name}\\(`), printed);
assert.equal(nn.Linear.name, 'Linear');
assert.equal(keras.Sequential.name, 'Sequential');
assert.equal(tensor([1]).constructor.name, 'Tensor');
assert.equal(new ValueError('x').name, 'ValueError');
assert.equal(inspect(tensor([1, 2])), 'tensor([1., 2.])');
console.log('class names ok');
