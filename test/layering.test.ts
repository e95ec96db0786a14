// The layering of src/: reads every import under src/ (static `import … from`, `import '…'`,
// `export … from`, and dynamic `import('…')`, type-only imports included) and fails when a folder
// imports a folder that its floor may not see. Each top-level folder of src/ has one row in LAYERS;
// a new folder fails the test until it is given a floor there.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The floors, bottom up. A folder may import its own files and any folder on a lower floor; on its
 * own floor only the folders listed in `peers`; never a higher floor.
 *
 * - kernels: typed-array loops, gemm, wasm; knows nothing of tensors.
 * - autograd: Tensor, dtypes, the tape, ops, primitives.
 * - io: file formats (npy, npz, safetensors, idx, zip, checkpoint trees). The codecs work on raw
 *   typed arrays; numpy.ts and checkpoint.ts convert Tensors, so io sits just above autograd,
 *   below everything that reads or writes files (nn serialization, data's MNIST, keras saving, onnx export).
 * - nn, optim, data: the PyTorch-level libraries, independent of each other (nn never imports optim).
 * - onnx: exports nn modules (imports nn), used by keras.
 * - keras: the Keras-style API over nn, optim, data, io and onnx.
 * - index: the package entry (src/index.ts).
 */
const LAYERS: Record<string, { floor: number; peers?: readonly string[] }> = {
  kernels: { floor: 0 },
  autograd: { floor: 1 },
  io: { floor: 2 },
  testing: { floor: 2 },
  nn: { floor: 3 },
  optim: { floor: 3 },
  data: { floor: 3 },
  training: { floor: 3 },
  onnx: { floor: 4 },
  keras: { floor: 5 },
  index: { floor: 6 },
};

/**
 * Imports that break the layering today, each with its reason and what fixing it means. The test
 * fails if one of these disappears (remove its entry then), so the list cannot go stale.
 * Keys are `importing file -> imported file`, relative to src/.
 */
const KNOWN_VIOLATIONS: Record<string, string> = {
  // optim.clipGradNorm_ / optim.clipGradValue_ are public aliases of nn.utils' functions (a
  // re-export, tested in test/optim/clip.test.ts to be the same function); optim uses no nn code.
  // To fix: an API decision for the lead: drop the aliases, or keep them and build them into the
  // `optim` namespace from src/index.ts instead of from optim/.
  'optim/index.ts -> nn/utils.ts': 'public alias of nn.utils clipping functions',
};

const SRC = join(__dirname, '..', 'src');

/** Every .ts file under `dir`, as paths relative to src/ with forward slashes. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(relative(SRC, path).split(sep).join('/'));
  }
  return out;
}

/**
 * The relative module specifiers a source text imports: `import … from '…'`, `import '…'`,
 * `export … from '…'` and `import('…')`. Line and block comments are removed first so that an
 * import shown in a TSDoc example does not count.
 */
function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found.filter((s) => s.startsWith('.'));
}

/** The top-level folder of a path relative to src/ ('index' for the files directly in src/). */
function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? 'index' : path.slice(0, slash);
}

/** The target of `spec` imported from `file` (both relative to src/), as a .ts path relative to src/. */
function resolveImport(file: string, spec: string): string {
  const target = normalize(join(dirname(file), spec))
    .split(sep)
    .join('/');
  return target.replace(/\.js$/, '.ts');
}

/** Why `from` may not import `to` (top-level folders), or null when it may. */
function layeringError(from: string, to: string): string | null {
  if (from === to) return null;
  const a = LAYERS[from];
  const b = LAYERS[to];
  if (a === undefined || b === undefined) return `folder ${a === undefined ? from : to} has no floor in LAYERS`;
  if (b.floor < a.floor) return null;
  if (b.floor === a.floor) return a.peers?.includes(to) ? null : `${from} and ${to} share floor ${a.floor} and may not import each other`;
  return `${from} (floor ${a.floor}) imports ${to} (floor ${b.floor}), a higher floor`;
}

/** Every import of `files` (path → text) that breaks the layering, as `from -> to: reason`. */
function violations(files: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const [file, text] of files) {
    for (const spec of importSpecifiers(text)) {
      const target = resolveImport(file, spec);
      if (target.startsWith('../')) {
        found.set(`${file} -> ${target}`, 'imports from outside src/');
        continue;
      }
      const error = layeringError(folderOf(file), folderOf(target));
      if (error !== null) found.set(`${file} -> ${target}`, error);
    }
  }
  return found;
}

describe('layering of src/', () => {
  const files = new Map(sourceFiles(SRC).map((f) => [f, readFileSync(join(SRC, f), 'utf8')] as const));

  it('every top-level folder of src/ has a floor', () => {
    const folders = [...new Set([...files.keys()].map(folderOf))].sort();
    expect(folders.filter((f) => LAYERS[f] === undefined)).toEqual([]);
  });

  it('no folder imports one above it (except the commented known violations)', () => {
    const found = violations(files);
    const unexpected = [...found].filter(([key]) => KNOWN_VIOLATIONS[key] === undefined).map(([key, why]) => `${key}: ${why}`);
    expect(unexpected).toEqual([]);
  });

  it('every known violation still exists (remove fixed ones from KNOWN_VIOLATIONS)', () => {
    const found = violations(files);
    expect(Object.keys(KNOWN_VIOLATIONS).filter((key) => !found.has(key))).toEqual([]);
  });

  it('the import reader sees static, re-export, side-effect, type-only and dynamic imports, and skips comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "import {\n  c,\n  d,\n} from './multi.js';",
      "export { e } from './e.js';",
      "export * as f from './f/index.js';",
      "import './side-effect.js';",
      "const g = await import('./lazy.js');",
      "import { readFileSync } from 'node:fs';",
      "/** @example\n * import { x } from './in-a-comment.js';\n */",
      "// import { y } from './line-comment.js';",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual([
      '../b/b.js',
      './a.js',
      './e.js',
      './f/index.js',
      './lazy.js',
      './multi.js',
      './side-effect.js',
    ]);
  });

  it('flags an upward import, a peer import, nn importing optim, kernels importing autograd, and an unknown folder', () => {
    const fake = new Map([
      ['kernels/k.ts', "import type { TypedArray } from '../autograd/dtype.js';"],
      ['autograd/t.ts', "import { Linear } from '../nn/linear.js';\nimport { gemm } from '../kernels/gemm.js';"],
      ['nn/m.ts', "import { SGD } from '../optim/sgd.js';\nimport { Tensor } from '../autograd/tensor.js';"],
      ['data/d.ts', "const m = await import('../keras/index.js');"],
      ['newfolder/x.ts', "import { Tensor } from '../autograd/tensor.js';"],
      [
        'keras/ok.ts',
        "import { Linear } from '../nn/linear.js';\nimport { SGD } from '../optim/sgd.js';\nimport { here } from './here.js';",
      ],
    ]);
    expect([...violations(fake).keys()].sort()).toEqual([
      'autograd/t.ts -> nn/linear.ts',
      'data/d.ts -> keras/index.ts',
      'kernels/k.ts -> autograd/dtype.ts',
      'newfolder/x.ts -> autograd/tensor.ts',
      'nn/m.ts -> optim/sgd.ts',
    ]);
  });
});

/**
 * The relative imports of a source text with whether each is type-only (`import type … from`,
 * `export type … from`); comments are removed first, as in `importSpecifiers`.
 */
function importsWithKind(text: string): { spec: string; typeOnly: boolean }[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of code.matchAll(/\b(?:import|export)\b(\s+type\b)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g))
    found.push({ spec: m[2]!, typeOnly: m[1] !== undefined });
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.push({ spec: m[1]!, typeOnly: false });
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found.filter((i) => i.spec.startsWith('.'));
}

/**
 * Imports that bypass the ops layer, as `from -> to: reason`. Primitives are recorded only by the
 * op functions: the recorder `run` (autograd/tape.ts) is imported by autograd/ops/ alone, so no
 * rule file and nothing above autograd records a primitive itself. Outside src/autograd nothing
 * imports the primitives' code (autograd/prims/, autograd/primitives.ts), only their types (the
 * ONNX exporter reads `PrimAttrs`); inside it, the rule files are read only by the rule table
 * (primitives.ts), other rule files and the op functions (anyone may import their types). One exception: vmap's batching
 * interpreter replays a recorded trace primitive by primitive, so it calls `run` itself.
 */
const REPLAYERS = new Set(['autograd/functional/batching.ts', 'autograd/functional/batching-rules.ts']);

function recordingViolations(files: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const [file, text] of files) {
    for (const { spec, typeOnly } of importsWithKind(text)) {
      const target = resolveImport(file, spec);
      const key = `${file} -> ${target}`;
      const isRules = target.startsWith('autograd/prims/');
      if (target === 'autograd/tape.ts' && !file.startsWith('autograd/ops/') && !REPLAYERS.has(file))
        found.set(key, 'only the op functions in autograd/ops/ call run (the tape recorder)');
      else if ((isRules || target === 'autograd/primitives.ts') && !file.startsWith('autograd/') && !typeOnly)
        found.set(key, 'outside autograd, primitives are reached through autograd/ops/ (a type-only import is allowed)');
      else if (
        isRules &&
        file.startsWith('autograd/') &&
        !file.startsWith('autograd/ops/') &&
        !file.startsWith('autograd/prims/') &&
        file !== 'autograd/primitives.ts' &&
        !typeOnly
      )
        found.set(key, 'inside autograd, only primitives.ts, prims/ and ops/ read the rule files (a type-only import is allowed)');
    }
  }
  return found;
}

describe('primitives are recorded only by autograd/ops/', () => {
  const files = new Map(sourceFiles(SRC).map((f) => [f, readFileSync(join(SRC, f), 'utf8')] as const));

  it('run is imported by ops/ alone, and nothing outside autograd imports prims/ or primitives.ts except for types', () => {
    expect([...recordingViolations(files)].map(([key, why]) => `${key}: ${why}`)).toEqual([]);
  });

  it('flags a rule file calling run, nn importing a primitive entry point, engine reading a rule file; allows ops, the rule table and type-only imports', () => {
    // One fake file a line: its path, then its source after ' | '.
    const fake = new Map(
      `autograd/prims/conv.ts | import { run } from '../tape.js'; import { foldPrim } from '../ops/nn.js';
       autograd/ops/nn.ts | import { run } from '../tape.js'; import { windowOnly } from '../prims/conv.js';
       autograd/tape.ts | import { RULES } from './primitives.js';
       autograd/primitives.ts | import { convRules } from './prims/conv.js';
       autograd/engine.ts | import { empty } from './prims/common.js';
       nn/functional/conv.ts | import { unfoldPrim } from '../../autograd/prims/conv.js'; import { foldPrim } from '../../autograd/ops/nn.js';
       keras/k.ts | import { RULES } from '../autograd/primitives.js';
       optim/o.ts | const t = await import('../autograd/tape.js');
       onnx/prims.ts | import type { PrimAttrs } from '../autograd/primitives.js'; export type { Prim } from '../autograd/primitives.js';`
        .split('\n')
        .map((line) => line.trim().split(' | ') as [string, string]),
    );
    expect([...recordingViolations(fake).keys()].sort()).toEqual([
      'autograd/engine.ts -> autograd/prims/common.ts',
      'autograd/prims/conv.ts -> autograd/tape.ts',
      'keras/k.ts -> autograd/primitives.ts',
      'nn/functional/conv.ts -> autograd/prims/conv.ts',
      'optim/o.ts -> autograd/tape.ts',
    ]);
  });
});
