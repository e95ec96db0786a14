// A custom autograd Function: a numerically stable log(1 + e^x) (softplus) with a hand-written
// backward, checked against finite differences with gradcheck and gradgradcheck, then used in a
// small training loop like any built-in op.
//
//   npx tsx examples/custom-function.ts
//   TAPEGRAD_QUICK=1 npx tsx examples/custom-function.ts
import { autograd, manualSeed, optim, randn, tensor, type Tensor } from '../src/index.js';

const quick = process.env['TAPEGRAD_QUICK'] === '1' || process.argv.includes('--quick');

class StableSoftplus extends autograd.Function {
  // softplus(x) = max(x, 0) + log1p(e^-|x|): never overflows.
  static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.relu().add(x.abs().neg().exp().log1p());
  }
  // d/dx softplus(x) = sigmoid(x). Written in tensor ops, so it is differentiable again.
  static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.sigmoid())];
  }
}
const softplus = (x: Tensor): Tensor => StableSoftplus.apply(x);

manualSeed(0);
const x = randn([5, 3], { dtype: 'float64', requiresGrad: true });
console.log('gradcheck:', autograd.gradcheck(softplus, [x]));
console.log('gradgradcheck:', autograd.gradgradcheck(softplus, [x]));
console.log('softplus(±1000):', softplus(tensor([1000, -1000])).toArray());

// Use it in a model: fit y = softplus(a·x + b) to samples made with a = 2, b = -1.
const xs = randn([200, 1]);
const ys = softplus(xs.mul(2).sub(1)).detach();
const a = tensor([0.5], { requiresGrad: true });
const b = tensor([0], { requiresGrad: true });
const opt = new optim.Adam([a, b], { lr: 0.05 });
for (let step = 0; step < (quick ? 5 : 400); step++) {
  opt.zeroGrad();
  const loss = softplus(xs.mul(a).add(b)).sub(ys).pow(2).mean();
  loss.backward();
  opt.step();
}
console.log(`learned a = ${a.item().toFixed(3)} (true 2), b = ${b.item().toFixed(3)} (true -1)`);
