// The same consumer as CommonJS TypeScript, type-checked against dist/index.d.cts with no
// Node types and full library checking (see tsconfig.json here). It is only type-checked, never run.
import {
  autograd, data, keras, manualSeed, nn, noGrad, optim, randn, tensor, zeros,
  Tensor, ValueError, type DType, type TensorLike,
} from 'tapegrad';

class Cube extends autograd.Function {
  static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static override backward(ctx: autograd.FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.pow(2)).mul(3)];
  }
}

class Net extends nn.Module<[Tensor], Tensor> {
  fc1 = new nn.Linear(4, 8);
  fc2 = new nn.Linear(8, 3);
  forward(x: Tensor): Tensor {
    return this.fc2.call(nn.F.relu(this.fc1.call(x)));
  }
}

manualSeed(0);
const dtype: DType = 'float64';
const x: Tensor = tensor([[1, 2], [3, 4]], { requiresGrad: true, dtype });
const two: TensorLike = 2;
x.mul(two).sum().backward();
const g: Tensor | null = x.grad;
const shape: readonly number[] = zeros([2, 3]).shape;
const y = Cube.apply(tensor([2], { requiresGrad: true }));

const net = new Net();
const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
const loader = new data.DataLoader(new data.TensorDataset(randn([8, 4]), tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: 'int32' })), { batchSize: 4 });
for (const [xb, yb] of loader) {
  opt.zeroGrad();
  new nn.CrossEntropyLoss().call(net.call(xb!), yb!).backward();
  opt.step();
}
const state: Record<string, Tensor> = net.stateDict();
const accuracy: number = noGrad(() => net.call(randn([2, 4])).argmax(1).float().mean().item());

const model = new keras.Sequential();
model.add(new keras.Flatten({ inputShape: [2, 2] }));
model.add(new keras.Dense({ units: 3, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const history: Promise<keras.History> = model.fit(randn([4, 2, 2]), tensor([0, 1, 2, 0], { dtype: 'int32' }), { epochs: 1, verbose: 0 });
const summary: string = model.summary({ print: false });

class StopAtLoss extends keras.Callback {
  override onEpochEnd(epoch: number, logs: keras.Logs): void {
    if (this.model && (logs['loss'] ?? Infinity) < 0.1) this.model.stopTraining = true;
  }
}
const callbacks: keras.CallbackLike[] = [new StopAtLoss(), new keras.EarlyStopping({ monitor: 'loss', patience: 2 }), { onTrainEnd: () => {} }];

let message = '';
try {
  tensor([1]).reshape([3]);
} catch (e) {
  if (e instanceof ValueError) message = e.message;
}

export { g, shape, y, state, accuracy, history, summary, callbacks, message };
