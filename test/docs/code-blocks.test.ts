// Every ```ts block in README.md and docs/*.md is type-checked against the library's source, so the
// guides cannot rot. A block may use the names declared in PRELUDE without defining them.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

// A global script (no imports): blocks are modules, so their own declarations shadow these.
const PRELUDE = `
type __T = import('tapegrad').Tensor;
declare const x: __T, y: __T, z: __T, w: __T, a: __T, b: __T, xTrain: __T, yTrain: __T, xTest: __T, yTest: __T;
declare const inputs: __T, targets: __T, logits: __T, scores: __T, mask: __T, loss: __T, h: __T;
declare const params: __T[], v: __T[];
declare const dataset: import('tapegrad').data.Dataset<__T[]>, ds: import('tapegrad').data.Dataset<__T[]>;
declare const model: import('tapegrad').nn.Module;
declare function f(...args: __T[]): __T;
`;

import * as library from '../../src/index.js';

// Every value the library exports (functions, classes, namespaces), plus the common types.
const AUTO_IMPORT =
  `import { ${Object.keys(library).join(', ')} } from 'tapegrad'; ` +
  "import type { DType, TensorLike, TypedArray, NestedArray } from 'tapegrad'; ";

function blocks(file: string): { name: string; code: string }[] {
  const text = readFileSync(file, 'utf8');
  const out: { name: string; code: string }[] = [];
  const re = /```ts\n([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ name: `${file.slice(root.length + 1)}:${line}`, code: m[1]! });
  }
  return out;
}

function docFiles(): string[] {
  const docs = join(root, 'docs');
  const files = [join(root, 'README.md')];
  if (existsSync(docs)) for (const f of readdirSync(docs)) if (f.endsWith('.md')) files.push(join(docs, f));
  return files;
}

describe('code blocks in the guides', () => {
  const all = docFiles().flatMap(blocks);

  it('finds code blocks to check', () => {
    expect(all.length).toBeGreaterThan(2);
  });

  it('type-check against the library', () => {
    const virtual = new Map<string, string>();
    const prelude = join(root, '__docprelude.d.ts');
    virtual.set(prelude, PRELUDE);
    // A block without imports is a fragment of a longer program: it sees the whole public API.
    all.forEach((b, i) => virtual.set(join(root, `__docblock_${i}.ts`), `${/^import /m.test(b.code) ? '' : AUTO_IMPORT}${b.code}\nexport {};\n`));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['lib.es2022.d.ts'],
      baseUrl: root, paths: { tapegrad: ['src/index.ts'] }, noUnusedLocals: false,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, lang) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => virtual.has(name) || fileExists(name);
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems: string[] = [];
    all.forEach((_, i) => {
      const name = join(root, `__docblock_${i}.ts`);
      for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(name))) {
        const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        problems.push(`${all[i]!.name} (+${where}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
    });
    expect(problems).toEqual([]);
  }, 120_000);
});
