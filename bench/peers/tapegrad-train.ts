/**
 * tapegrad's training workloads: `nn.Sequential` of `nn.Linear` + `nn.ReLU`, `nn.CrossEntropyLoss`
 * on the logits, `optim.Adam` or `optim.SGD`, written the way a PyTorch user would.
 * @module
 */
import { nn, noGrad, optim, tensor } from '../../src/index.js';
import type { Batch, LayerInit } from '../lib/data.js';
import { ADAM, type TrainCase } from '../lib/workloads.js';
import type { Trainer } from './peer.js';

/**
 * Builds tapegrad's MLP, loads the given initial weights (PyTorch layout) and makes the optimizer.
 * @example
 * ```ts
 * const t = await tapegradTrainer(c, layers, batch);
 * const loss = await t.step();
 * ```
 */
export async function tapegradTrainer(c: TrainCase, layers: readonly LayerInit[], batch: Batch): Promise<Trainer> {
  const linears = layers.map((l) => new nn.Linear(l.inF, l.outF));
  const modules: nn.Module[] = [];
  linears.forEach((lin, i) => {
    modules.push(lin);
    if (i + 1 < linears.length) modules.push(new nn.ReLU());
  });
  const model = new nn.Sequential(...modules);
  noGrad(() => {
    linears.forEach((lin, i) => {
      const l = layers[i]!;
      lin.weight.copy_(tensor(l.weight).reshape([l.outF, l.inF]));
      lin.bias!.copy_(tensor(l.bias));
    });
  });
  const x = tensor(batch.x).reshape([batch.batch, batch.features]);
  const y = tensor(batch.y, { dtype: 'int32' });
  const criterion = new nn.CrossEntropyLoss();
  const opt =
    c.optimizer === 'adam'
      ? new optim.Adam(model.parameters(), { lr: c.lr, betas: [ADAM.beta1, ADAM.beta2], eps: ADAM.eps })
      : new optim.SGD(model.parameters(), { lr: c.lr });
  return {
    step: () => {
      opt.zeroGrad();
      const loss = criterion.call(model.call(x), y);
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}
