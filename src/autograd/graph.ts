/**
 * The backward graph as a picture: `toDot` (Graphviz, like torchviz's `make_dot`) and `toMermaid`
 * (a flowchart for Markdown). Both walk `gradFn.nextFunctions` from the given tensors.
 * @module
 */
import { ArgumentTypeError } from './errors.js';
import { bool, describe, isPlainObject, parseOptions, type Check } from './args.js';
import { GradFn } from './grad-fn.js';
import { AccumulateGrad, type Node } from './node.js';
import { Tensor } from './tensor.js';

/** Where leaf names come from: a module (anything with `namedParameters()`), its `namedParameters()` pairs, a Map or a plain object of tensors. */
export type ParamNames = NamedParameters | Iterable<[string, Tensor]> | Map<string, Tensor> | Record<string, Tensor>;

/** Anything that lists its parameters by name, such as an `nn.Module`. */
export interface NamedParameters {
  /** The parameters with their dotted names. */
  namedParameters(): Iterable<[string, Tensor]>;
}

/** Options of {@link toDot} and {@link toMermaid}. */
export interface GraphOptions {
  /** Names for the leaves: a module, `module.namedParameters()`, a Map or an object of tensors (default: leaves show their shape only). */
  params?: ParamNames;
  /** Label tensors and edges with shapes (default true). */
  showShapes?: boolean;
  /** Show the tensors each op saved for backward, with their shapes, in orange (default false). */
  showSaved?: boolean;
}

/** Reads `params` into a tensor → name map. */
const paramNames: Check<Map<Tensor, string>> = (op, key, v) => {
  let pairs: Iterable<unknown>;
  if (v !== null && typeof v === 'object' && typeof (v as { namedParameters?: unknown }).namedParameters === 'function') {
    pairs = (v as { namedParameters(): Iterable<unknown> }).namedParameters();
  } else if (v instanceof Map || Array.isArray(v)) {
    pairs = v as Iterable<unknown>;
  } else if (isPlainObject(v)) {
    pairs = Object.entries(v);
  } else {
    throw new ArgumentTypeError(`${op}: ${key} must be a module, its namedParameters(), a Map or an object of tensors, got ${describe(v)}`);
  }
  const names = new Map<Tensor, string>();
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || !(pair[1] instanceof Tensor)) {
      throw new ArgumentTypeError(`${op}: ${key} must hold [name, Tensor] pairs, got an entry ${describe(pair)}`);
    }
    if (!names.has(pair[1])) names.set(pair[1], pair[0]);
  }
  return names;
};

const SPEC = { params: paramNames, showShapes: bool, showSaved: bool } as const;

/** One drawn vertex. */
interface Vertex {
  id: string;
  label: string;
  kind: 'op' | 'leaf' | 'output' | 'saved';
}

/** One drawn edge, from the producer toward the consumer (the forward direction, as torchviz draws it). */
interface Edge {
  from: string;
  to: string;
  label: string;
  dashed: boolean;
}

/** A shape as tapegrad prints it: `[10, 784]`. */
function size(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The vertices and edges of the graph behind `roots`, numbered in breadth-first order from the outputs. */
function collect(op: string, roots: readonly Tensor[], options: GraphOptions | undefined): { vertices: Vertex[]; edges: Edge[] } {
  const o = parseOptions(op, options, SPEC, { forms: `${op}(tensor) or ${op}(tensor, { params, showShapes, showSaved })` });
  const names = o.params ?? new Map<Tensor, string>();
  const showShapes = o.showShapes ?? true;
  const vertices: Vertex[] = [];
  const edges: Edge[] = [];
  const ids = new Map<Node, string>();
  const queue: Node[] = [];
  let count = 0;
  const idOf = (node: Node): string => {
    let id = ids.get(node);
    if (id === undefined) {
      id = `n${count++}`;
      ids.set(node, id);
      if (node instanceof AccumulateGrad) {
        const name = names.get(node.leaf) ?? '';
        const shape = showShapes ? size(node.leaf.shape) : '';
        vertices.push({ id, label: [name, shape].filter(Boolean).join('\n') || 'leaf', kind: 'leaf' });
      } else {
        vertices.push({ id, label: GradFn._of(node).name, kind: 'op' });
        queue.push(node);
      }
    }
    return id;
  };
  roots.forEach((t, i) => {
    if (!(t instanceof Tensor))
      throw new ArgumentTypeError(`${op}: expected a Tensor or an array of Tensors, got ${describe(t)} at position ${i}`);
    const id = `out${i}`;
    const name = names.get(t) ?? (roots.length > 1 ? `output ${i}` : 'output');
    vertices.push({ id, label: showShapes ? `${name}\n${size(t.shape)}` : name, kind: 'output' });
    if (t._gradFn !== null) edges.push({ from: idOf(t._gradFn), to: id, label: '', dashed: false });
  });
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    const to = ids.get(node)!;
    node.next.forEach((n, i) => {
      if (n === null) return;
      edges.push({ from: idOf(n), to, label: showShapes ? size(node.inputShapes[i]!) : '', dashed: false });
    });
    if (o.showSaved) {
      const shapes = node._savedShapes();
      (shapes ?? []).forEach((s, k) => {
        const id = `${to}s${k}`;
        vertices.push({ id, label: `saved ${k}\n${size(s)}`, kind: 'saved' });
        edges.push({ from: id, to, label: '', dashed: true });
      });
      if (shapes === null) {
        vertices.push({ id: `${to}s`, label: 'saved tensors freed', kind: 'saved' });
        edges.push({ from: `${to}s`, to, label: '', dashed: true });
      }
    }
  }
  return { vertices, edges };
}

function rootsOf(op: string, t: unknown): Tensor[] {
  if (t instanceof Tensor) return [t];
  if (Array.isArray(t) && t.length > 0) return t as Tensor[];
  throw new ArgumentTypeError(`${op}: expected a Tensor or a non-empty array of Tensors, got ${describe(t)}`);
}

const DOT_FILL: Record<Vertex['kind'], string> = { op: 'lightgrey', leaf: 'lightblue', output: 'darkolivegreen1', saved: 'orange' };

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The backward graph of `t` (or of several outputs) in Graphviz DOT, like torchviz's `make_dot`:
 * op nodes (`MulBackward`) in grey, leaves in blue (named from `params` when given, with their
 * shapes), the output in green, and with `showSaved` the tensors each op saved in orange. Edges go
 * from inputs toward the ops that use them, labelled with the shape that flows. Render with
 * `dot -Tsvg graph.dot -o graph.svg`.
 * @example
 * ```ts
 * const net = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
 * const loss = net.call(randn([8, 4])).sum();
 * const dot = autograd.toDot(loss, { params: net }); // 'digraph tapegrad { ... "0.weight\n[3, 4]" ... }'
 * ```
 */
export function toDot(t: Tensor | readonly Tensor[], options?: GraphOptions): string {
  const { vertices, edges } = collect('autograd.toDot', rootsOf('autograd.toDot', t), options);
  const lines = [
    'digraph tapegrad {',
    '  graph [rankdir=TB];',
    '  node [shape=box, style=filled, fontname=monospace, fontsize=10, height=0.2];',
    '  edge [fontname=monospace, fontsize=9];',
    ...vertices.map((v) => `  ${v.id} [label=${dotString(v.label)}, fillcolor=${DOT_FILL[v.kind]}];`),
    ...edges.map(
      (e) =>
        `  ${e.from} -> ${e.to}${e.label || e.dashed ? ` [${[e.label ? `label=${dotString(e.label)}` : '', e.dashed ? 'style=dashed' : ''].filter(Boolean).join(', ')}]` : ''};`,
    ),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

function mermaidString(s: string): string {
  return `"${s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
}

/**
 * The backward graph of `t` as a Mermaid flowchart, to paste into Markdown (GitHub renders a
 * ```` ```mermaid ```` block). Same vertices, colours and options as {@link toDot}.
 * @example
 * ```ts
 * const x = tensor([1, 2], { requiresGrad: true });
 * autograd.toMermaid(x.mul(x).sum()); // 'flowchart TB\n  out0["output<br/>[]"]:::output\n ...'
 * ```
 */
export function toMermaid(t: Tensor | readonly Tensor[], options?: GraphOptions): string {
  const { vertices, edges } = collect('autograd.toMermaid', rootsOf('autograd.toMermaid', t), options);
  const lines = [
    'flowchart TB',
    ...vertices.map((v) => `  ${v.id}[${mermaidString(v.label)}]:::${v.kind}`),
    ...edges.map((e) => `  ${e.from} ${e.dashed ? '-.->' : '-->'}${e.label ? `|${mermaidString(e.label)}|` : ''} ${e.to}`),
    '  classDef op fill:#d3d3d3,stroke:#555',
    '  classDef leaf fill:#add8e6,stroke:#555',
    '  classDef output fill:#caff70,stroke:#555',
    '  classDef saved fill:#ffa500,stroke:#555',
  ];
  return `${lines.join('\n')}\n`;
}
