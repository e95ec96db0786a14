// The ESM and the CommonJS builds loaded in one process: each has its own classes, and values cross
// between them (instanceof, loadStateDict, optimizers, containers).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'tapegrad';

const cjs = createRequire(import.meta.url)('tapegrad');
assert.notEqual(esm.Tensor, cjs.Tensor, 'two builds, two Tensor classes');

esm.manualSeed(0);
cjs.manualSeed(0);
const a = esm.tensor([1, 2, 3]);
const b = cjs.tensor([4, 5, 6]);
assert.ok(b instanceof esm.Tensor && a instanceof cjs.Tensor);
assert.ok(new cjs.nn.Parameter(b) instanceof esm.nn.Parameter);
assert.ok(!(a instanceof esm.nn.Parameter) && !(b instanceof esm.nn.Parameter), 'a plain tensor is no Parameter');
assert.ok(new cjs.nn.Linear(2, 3) instanceof esm.nn.Module);
assert.ok(!({} instanceof esm.Tensor) && !(null instanceof esm.Tensor) && !(3 instanceof esm.Tensor));
class Net extends esm.nn.Module {
  fc = new esm.nn.Linear(2, 1);
  forward(x) { return this.fc.call(x); }
}
assert.ok(new Net() instanceof esm.nn.Module && !(new cjs.nn.Linear(2, 1) instanceof Net), 'user subclasses keep the ordinary instanceof');
assert.deepEqual(esm.add(a, b).toArray(), [5, 7, 9]);

// loadStateDict across builds: a CJS model's weights into an ESM model, and back.
const source = new cjs.nn.Sequential(new cjs.nn.Linear(3, 4), new cjs.nn.ReLU(), new cjs.nn.Linear(4, 2));
const target = new esm.nn.Sequential(new esm.nn.Linear(3, 4), new esm.nn.ReLU(), new esm.nn.Linear(4, 2));
target.loadStateDict(source.stateDict());
const probe = esm.randn([5, 3]);
assert.deepEqual(target.call(probe).toArray(), source.call(probe).toArray());
const back = new cjs.nn.Sequential(new cjs.nn.Linear(3, 4), new cjs.nn.ReLU(), new cjs.nn.Linear(4, 2));
back.loadStateDict(target.stateDict());
assert.deepEqual(back.call(probe).toArray(), target.call(probe).toArray());

// A CJS optimizer over ESM parameters, and a CJS container of ESM layers.
const mixed = new cjs.nn.Sequential(new esm.nn.Linear(3, 1));
assert.equal(mixed.parameters().length, 2);
const before = mixed.parameters()[0].toArray();
const opt = new cjs.optim.SGD(mixed.parameters(), { lr: 0.1 });
opt.zeroGrad();
mixed.call(probe).sum().backward();
opt.step();
assert.notDeepEqual(mixed.parameters()[0].toArray(), before, 'the step changed the weights');

// Process-wide state is one per process: grad mode, the default generator, error classes.
const leaf = esm.tensor([1, 2], { requiresGrad: true });
assert.equal(cjs.noGrad(() => leaf.mul(2)).requiresGrad, false, "the CJS build's noGrad stops the ESM build's recording");
assert.equal(esm.noGrad(() => cjs.isGradEnabled()), false, "the ESM build's noGrad is seen by the CJS build");
assert.equal(cjs.isGradEnabled(), true);
esm.manualSeed(7);
const r1 = cjs.randn([4]).toArray();
cjs.manualSeed(7);
const r2 = esm.randn([4]).toArray();
assert.deepEqual(r1, r2, 'manualSeed from one build seeds the other');
assert.ok(new cjs.Generator(1) instanceof esm.Generator);
let thrown;
try { cjs.zeros([2]).add(cjs.zeros([3])); } catch (e) { thrown = e; }
assert.ok(thrown instanceof esm.ShapeError && thrown instanceof esm.TapegradError, 'a CJS ShapeError is an ESM ShapeError');
assert.ok(!(thrown instanceof esm.ValueError), 'and not a ValueError');
try { cjs.zeros([2], 5); } catch (e) { thrown = e; }
assert.ok(thrown instanceof esm.ArgumentTypeError && thrown instanceof esm.TapegradError && thrown instanceof TypeError);
console.log('dual build ok');
