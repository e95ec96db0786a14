/**
 * autograd.toDot and autograd.toMermaid: the drawn graph is read back (vertices and edges) and
 * compared with the graph the code builds, written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { autograd, nn, tensor, zeros, type Tensor } from '../../src/index.js';

/** Vertices (id → label) and edges (`from -> to`, with label) of a DOT text as toDot writes it. */
function readDot(dot: string): { labels: Map<string, string>; fills: Map<string, string>; edges: string[] } {
  const labels = new Map<string, string>();
  const fills = new Map<string, string>();
  const edges: string[] = [];
  for (const line of dot.split('\n')) {
    const v = /^ {2}(\w+) \[label="((?:[^"\\]|\\.)*)", fillcolor=(\w+)\];$/.exec(line);
    if (v) {
      labels.set(v[1]!, v[2]!.replace(/\\n/g, '\n'));
      fills.set(v[1]!, v[3]!);
      continue;
    }
    const e = /^ {2}(\w+) -> (\w+)(?: \[(.*)\])?;$/.exec(line);
    if (e) edges.push(`${e[1]} -> ${e[2]}${e[3] ? ` [${e[3]}]` : ''}`);
  }
  return { labels, fills, edges };
}

/** The edges with vertex ids replaced by their labels, sorted. */
function namedEdges(dot: string): string[] {
  const { labels, edges } = readDot(dot);
  return edges
    .map((e) => {
      const [, from, to, rest] = /^(\w+) -> (\w+)(.*)$/.exec(e)!;
      return `${labels.get(from!)!.replace('\n', ' ')} -> ${labels.get(to!)!.replace('\n', ' ')}${rest}`;
    })
    .sort();
}

describe('autograd.toDot', () => {
  it('draws ops, named leaves, the output and the shapes that flow', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const w = tensor([1, 0, -1], { requiresGrad: true });
    const c = tensor([1, 1, 1]); // no gradient: not drawn
    const y = x.mul(w).add(c).sum();
    const dot = autograd.toDot(y, { params: { weight: w } });
    expect(dot.startsWith('digraph tapegrad {\n')).toBe(true);
    expect(dot.endsWith('}\n')).toBe(true);
    expect(namedEdges(dot)).toEqual(
      [
        'SumBackward -> output []',
        'AddBackward -> SumBackward [label="[2, 3]"]',
        'MulBackward -> AddBackward [label="[2, 3]"]',
        '[2, 3] -> MulBackward [label="[2, 3]"]',
        'weight [3] -> MulBackward [label="[3]"]',
      ].sort(),
    );
    const { labels, fills } = readDot(dot);
    expect(labels.size).toBe(6); // output, 3 ops, 2 leaves
    const fillOf = (label: string): string => fills.get([...labels].find(([, l]) => l === label)![0])!;
    expect(fillOf('weight\n[3]')).toBe('lightblue');
    expect(fillOf('MulBackward')).toBe('lightgrey');
    expect(fillOf('output\n[]')).toBe('darkolivegreen1');
  });

  it('draws a tensor used twice once, with two edges; names come from a module', () => {
    const lin = new nn.Linear(2, 2);
    const h = lin.call(zeros([1, 2])).tanh();
    const dot = autograd.toDot(h.mul(h).sum(), { params: lin, showShapes: false });
    const edges = namedEdges(dot);
    expect(edges.filter((e) => e === 'TanhBackward -> MulBackward')).toHaveLength(2);
    expect([...readDot(dot).labels.values()].filter((l) => l === 'TanhBackward')).toHaveLength(1);
    const leafLabels = [...readDot(dot).labels.values()].filter((l) => l === 'weight' || l === 'bias').sort();
    expect(leafLabels).toEqual(['bias', 'weight']);
    expect(dot).not.toMatch(/\[\d/); // no shapes anywhere
    // namedParameters() pairs and a Map name the same leaves.
    expect(autograd.toDot(h.sum(), { params: lin.namedParameters() })).toBe(
      autograd.toDot(h.sum(), { params: new Map(lin.namedParameters()) }),
    );
  });

  it('shows what each op saved with showSaved, and that backward freed it', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.exp().mul(x).sum(); // exp saves its output [3]; mul saves both inputs
    const before = namedEdges(autograd.toDot(y, { showSaved: true }));
    expect(before.filter((e) => e.endsWith('-> ExpBackward [style=dashed]'))).toEqual(['saved 0 [3] -> ExpBackward [style=dashed]']);
    expect(before.filter((e) => e.endsWith('-> MulBackward [style=dashed]'))).toEqual([
      'saved 0 [3] -> MulBackward [style=dashed]',
      'saved 1 [3] -> MulBackward [style=dashed]',
    ]);
    y.backward();
    expect(autograd.toDot(y, { showSaved: true })).toContain('saved tensors freed');
  });

  it('draws several outputs, and a tensor outside the graph as a lone output', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const edges = namedEdges(autograd.toDot([x.sin(), x.cos()]));
    expect(edges).toEqual(
      [
        'CosBackward -> output 1 [2]',
        'SinBackward -> output 0 [2]',
        '[2] -> CosBackward [label="[2]"]',
        '[2] -> SinBackward [label="[2]"]',
      ].sort(),
    );
    // x is one leaf shared by both ops.
    expect([...readDot(autograd.toDot([x.sin(), x.cos()])).labels.values()].filter((l) => l === '[2]')).toHaveLength(1);
    expect(readDot(autograd.toDot(tensor([1, 2]))).edges).toEqual([]);
  });

  it('rejects unknown options, bad params and non-tensors with typed errors', () => {
    const y = tensor([1, 2], { requiresGrad: true }).sum();
    const err = (f: () => unknown): Error => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('did not throw');
    };
    expect(err(() => autograd.toDot(y, { show_saved: true } as object)).message).toMatch(/did you mean 'showSaved'/);
    expect(err(() => autograd.toDot(y, { params: 3 as unknown as Map<string, Tensor> })).name).toBe('ArgumentTypeError');
    expect(err(() => autograd.toDot(y, { params: { w: 3 } as unknown as Record<string, Tensor> })).name).toBe('ArgumentTypeError');
    expect(err(() => autograd.toMermaid('y' as unknown as Tensor)).name).toBe('ArgumentTypeError');
    expect(err(() => autograd.toDot(y, { showShapes: 'yes' as unknown as boolean })).name).toBe('ArgumentTypeError');
  });
});

describe('autograd.toMermaid', () => {
  it('writes the same graph as a flowchart with labelled edges and classes', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const text = autograd.toMermaid(x.mul(x).sum(), { params: { x } });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TB');
    const vertex = new Map<string, string>();
    for (const l of lines) {
      const m = /^ {2}(\w+)\["(.*)"\]:::(\w+)$/.exec(l);
      if (m) vertex.set(m[1]!, `${m[2]} (${m[3]})`);
    }
    const edges = lines
      .map((l) => /^ {2}(\w+) --> ?(?:\|"(.*)"\| )?(\w+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${vertex.get(m[1]!)} -> ${vertex.get(m[3]!)}${m[2] ? ` ${m[2]}` : ''}`)
      .sort();
    expect(edges).toEqual(
      [
        'SumBackward (op) -> output<br/>[] (output)',
        'MulBackward (op) -> SumBackward (op) [2]',
        'x<br/>[2] (leaf) -> MulBackward (op) [2]',
        'x<br/>[2] (leaf) -> MulBackward (op) [2]',
      ].sort(),
    );
    expect(text).toContain('classDef leaf');
  });
});
