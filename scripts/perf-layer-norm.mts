/**
 * Times nn.F.layerNorm forward + backward on [16, 64, 128] float32 with γ and β (the encoder block's
 * LayerNorm) in the tapegrad tree given, so two trees can be compared in alternating fresh processes:
 *
 *   node --import tsx scripts/perf-layer-norm.mts /path/to/tree   # prints medians of 120 calls after 30
 * @module
 */
const tree = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const T = await import(`${tree}/src/index.ts`);
T.manualSeed(0);
const x = T.randn([16, 64, 128]).requiresGrad_(true);
const w = T.randn([128]).requiresGrad_(true);
const b = T.randn([128]).requiresGrad_(true);
const g = T.randn([16, 64, 128]);
const fwd: number[] = [];
const all: number[] = [];
for (let i = 0; i < 150; i++) {
  const t0 = performance.now();
  const y = T.nn.F.layerNorm(x, [128], { weight: w, bias: b });
  const t1 = performance.now();
  y.backward(g);
  const t2 = performance.now();
  x.grad = null;
  w.grad = null;
  b.grad = null;
  if (i >= 30) {
    fwd.push(t1 - t0);
    all.push(t2 - t0);
  }
}
const med = (a: number[]): number => a.slice().sort((p, q) => p - q)[a.length >> 1]!;
console.log(JSON.stringify({ tree, forwardMs: med(fwd), forwardBackwardMs: med(all) }));
