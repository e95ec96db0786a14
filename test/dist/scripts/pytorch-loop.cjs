// The built CommonJS package from plain Node: a PyTorch-style training loop fits a small
// regression, then nn.save / nn.load round-trip the weights into a fresh model.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { data, manualSeed, nn, noGrad, optim, randn, tensor } = require('tapegrad');

manualSeed(0);
// y = 2 x0 - 3 x1 + 1, learned by a Linear layer.
const x = randn([64, 2]);
const y = x.matmul(tensor([[2], [-3]])).add(1);
const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, shuffle: true });
const model = new nn.Sequential(new nn.Linear(2, 1));
const lossFn = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
let last = Infinity;
for (let epoch = 0; epoch < 40; epoch++) {
  for (const [xb, yb] of loader) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(xb), yb);
    loss.backward();
    optimizer.step();
    last = loss.item();
  }
}
assert.ok(last < 1e-4, `the loop should fit y = 2 x0 - 3 x1 + 1, final loss ${last}`);
const [w, b] = model.parameters();
assert.ok(Math.abs(w.toArray()[0][0] - 2) < 1e-2 && Math.abs(w.toArray()[0][1] + 3) < 1e-2, `weight ${w}`);
assert.ok(Math.abs(b.item() - 1) < 1e-2, `bias ${b}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-dist-'));
try {
  const file = path.join(dir, 'weights.safetensors');
  nn.save(model.stateDict(), file);
  const fresh = new nn.Sequential(new nn.Linear(2, 1));
  fresh.loadStateDict(nn.load(file));
  const probe = randn([5, 2]);
  assert.deepEqual(noGrad(() => fresh.call(probe).toArray()), noGrad(() => model.call(probe).toArray()));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log('pytorch loop and nn.save/nn.load ok');
