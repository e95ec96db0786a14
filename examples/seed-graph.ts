// The seed model (Keras's classic 784-10-10-10 softmax classifier) as an nn.Sequential: its
// nn.summary table, and the backward graph of one cross-entropy loss as Graphviz DOT and Mermaid.
//
//   npx tsx examples/seed-graph.ts            # prints the summary and the DOT text
//   npx tsx examples/seed-graph.ts --write    # also writes docs/images/seed-summary.txt, seed-graph.dot, seed-graph.mmd
//   dot -Tsvg docs/images/seed-graph.dot -o docs/images/seed-graph.svg   # optional, needs Graphviz
import { writeFileSync } from 'node:fs';
import { autograd, manualSeed, nn, randint, randn } from '../src/index.js';

manualSeed(0);
const model = new nn.Sequential(new nn.Linear(784, 10), new nn.ReLU(), new nn.Linear(10, 10), new nn.ReLU(), new nn.Linear(10, 10));
const batch = 32;

const table = nn.summary(model, [batch, 784], { print: false });
console.log(table.text);

// One training step's loss: cross-entropy on logits (softmax and log-likelihood in one op).
const x = randn([batch, 784]);
const y = randint(0, 10, [batch]);
const loss = new nn.CrossEntropyLoss().call(model.call(x), y);
const dot = autograd.toDot(loss, { params: model });
const mermaid = autograd.toMermaid(loss, { params: model });
console.log(dot);

// Sanity checks a reader can rely on: 7,850 + 110 + 110 parameters, and every parameter is a named leaf.
if (table.totalParams !== 8070) throw new Error(`expected 8070 parameters, got ${table.totalParams}`);
for (const [name] of model.namedParameters()) if (!dot.includes(`"${name}\\n`)) throw new Error(`the graph lacks the leaf ${name}`);

if (process.argv.includes('--write')) {
  writeFileSync('docs/images/seed-summary.txt', `${table.text}\n`);
  writeFileSync('docs/images/seed-graph.dot', dot);
  writeFileSync('docs/images/seed-graph.mmd', mermaid);
  console.log('wrote docs/images/seed-summary.txt, seed-graph.dot and seed-graph.mmd');
}
