// Linear and polynomial regression with plain tensors and autograd: fit y = 3x - 2 with SGD, then
// a cubic through noisy samples with Adam on polynomial features, and compare the learned
// coefficients with the true ones.
//
//   npx tsx examples/regression.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/regression.ts
import { manualSeed, optim, randn, linspace, stack, zeros, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');
manualSeed(0);

// ---- linear: y = 3x - 2 + noise --------------------------------------------------------------
{
  const x = linspace(-1, 1, 100).unsqueeze(1);
  const y = x
    .mul(3)
    .sub(2)
    .add(randn([100, 1]).mul(0.1));
  const w = zeros([1, 1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const opt = new optim.SGD([w, b], { lr: 0.1 });
  for (let step = 0; step < (quick ? 10 : 300); step++) {
    opt.zeroGrad();
    const loss = x.matmul(w).add(b).sub(y).pow(2).mean();
    loss.backward();
    opt.step();
  }
  console.log(`linear: w = ${w.item().toFixed(3)} (true 3), b = ${b.item().toFixed(3)} (true -2)`);
}

// ---- polynomial: y = 0.5x³ - x² + 2 + noise, features [x, x², x³] ---------------------------------
{
  const x = linspace(-2, 2, 200);
  const y = x
    .pow(3)
    .mul(0.5)
    .sub(x.pow(2))
    .add(2)
    .add(randn([200]).mul(0.2));
  const features: Tensor = stack([x, x.pow(2), x.pow(3)], 1); // [200, 3]
  const coef = zeros([3], { requiresGrad: true });
  const bias = zeros([1], { requiresGrad: true });
  const opt = new optim.Adam([coef, bias], { lr: 0.05 });
  for (let step = 0; step < (quick ? 10 : 1500); step++) {
    opt.zeroGrad();
    const loss = features.matmul(coef).add(bias).sub(y).pow(2).mean();
    loss.backward();
    opt.step();
  }
  const [c1, c2, c3] = coef.toArray() as number[];
  console.log(
    `cubic: ${c3!.toFixed(3)}x³ + ${c2!.toFixed(3)}x² + ${c1!.toFixed(3)}x + ${bias.item().toFixed(3)}  (true 0.5x³ - 1x² + 0x + 2)`,
  );
}
