/**
 * tapegrad's model-training workloads, written the way a PyTorch user would: `nn.Module`
 * subclasses of `nn.Conv2d`, `nn.MaxPool2d`, `nn.LSTM`, `nn.LayerNorm`, `nn.MultiheadAttention` and
 * `nn.Linear`, `nn.CrossEntropyLoss`, `optim.Adam`; the initial parameters loaded with
 * `loadStateDict` under PyTorch's names.
 * @module
 */
import { nn, optim, tensor, type Tensor } from '../../src/index.js';
import { ATTN_DIMS, LN_EPS, LSTM_DIMS, type ModelCase, type ModelInit } from '../lib/models.js';
import { ADAM } from '../lib/workloads.js';
import type { Trainer } from './peer.js';

/** conv 1→8 5×5 pad 2, ReLU, maxpool 2, conv 8→16 5×5, ReLU, maxpool 2, 400→64, ReLU, 64→10. */
class LeNet extends nn.Module<[Tensor], Tensor> {
  conv1 = new nn.Conv2d(1, 8, 5, { padding: 2 });
  conv2 = new nn.Conv2d(8, 16, 5);
  pool = new nn.MaxPool2d(2);
  fc1 = new nn.Linear(400, 64);
  fc2 = new nn.Linear(64, 10);
  forward(x: Tensor): Tensor {
    let h = this.pool.call(this.conv1.call(x).relu());
    h = this.pool.call(this.conv2.call(h).relu());
    return this.fc2.call(this.fc1.call(h.flatten(1)).relu());
  }
}

/** One-layer LSTM, batch first; the last hidden state → linear 128→10. */
class LstmClassifier extends nn.Module<[Tensor], Tensor> {
  lstm = new nn.LSTM(LSTM_DIMS.input, LSTM_DIMS.hidden, { batchFirst: true });
  fc = new nn.Linear(LSTM_DIMS.hidden, 10);
  forward(x: Tensor): Tensor {
    const { hN } = this.lstm.call(x);
    return this.fc.call(hN.squeeze(0));
  }
}

/** Pre-LN encoder block: x + MHA(LN(x)), then + MLP(LN(·)), mean over the sequence, → 10. */
class EncoderBlock extends nn.Module<[Tensor], Tensor> {
  ln1 = new nn.LayerNorm(ATTN_DIMS.width, { eps: LN_EPS });
  attn = new nn.MultiheadAttention(ATTN_DIMS.width, ATTN_DIMS.heads, { batchFirst: true });
  ln2 = new nn.LayerNorm(ATTN_DIMS.width, { eps: LN_EPS });
  mlp1 = new nn.Linear(ATTN_DIMS.width, ATTN_DIMS.mlp);
  mlp2 = new nn.Linear(ATTN_DIMS.mlp, ATTN_DIMS.width);
  head = new nn.Linear(ATTN_DIMS.width, 10);
  forward(x: Tensor): Tensor {
    const a = this.ln1.call(x);
    const h = x.add(this.attn.call(a, a, a, { needWeights: false }).output);
    const out = h.add(this.mlp2.call(this.mlp1.call(this.ln2.call(h)).relu()));
    return this.head.call(out.mean(1));
  }
}

/**
 * Builds tapegrad's model for a case, loads the initial parameters and makes Adam.
 * @example
 * ```ts
 * const t = await tapegradModelTrainer(c, modelInit(c));
 * ```
 */
export async function tapegradModelTrainer(c: ModelCase, init: ModelInit): Promise<Trainer> {
  const model: nn.Module<[Tensor], Tensor> = c.kind === 'cnn' ? new LeNet() : c.kind === 'lstm' ? new LstmClassifier() : new EncoderBlock();
  const state: Record<string, Tensor> = {};
  for (const p of Object.values(init.params)) state[p.name] = tensor(p.data).reshape(p.shape);
  model.loadStateDict(state);
  const x = tensor(init.x).reshape(init.xShape);
  const y = tensor(init.y, { dtype: 'int32' });
  const criterion = new nn.CrossEntropyLoss();
  const opt = new optim.Adam(model.parameters(), { lr: c.lr, betas: [ADAM.beta1, ADAM.beta2], eps: ADAM.eps });
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
