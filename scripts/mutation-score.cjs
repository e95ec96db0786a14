// Raw and adjusted mutation scores per file (docs/contributing.md, "Mutation testing").
// Usage: node scripts/mutation-score.cjs reports/<name>.json, for a report of scripts/mutation-raw.sh.
// Raw: every mutant counts (the raw run mutates the sources stripped of their disable comments).
// Adjusted: the mutants that the committed sources' `// Stryker disable next-line M1,M2: reason`
// comments disable (the named mutators on the next line, as Stryker applies them) are left out,
// killed ones included. Prints the survivors that remain.
const fs = require('fs');
const [, , file, root = '.'] = process.argv;
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const tot = { raw: [0, 0], adj: [0, 0] };
for (const [f, v] of Object.entries(r.files)) {
  // The raw run mutates the source stripped of its disable comments (so every mutant runs); the
  // disables of the committed source are mapped to the stripped line numbers here.
  const dis = [];
  let stripped = 0;
  for (const line of fs.readFileSync(`${root}/${f}`, 'utf8').split('\n')) {
    const m = /\/\/ Stryker disable next-line ([\w,]+):/.exec(line);
    if (m) dis.push([stripped + 1, m[1].split(',')]);
    else stripped++;
  }
  const c = { killed: 0, timeout: 0, survived: 0, nocov: 0, ignored: 0, disabled: 0, disabledKilled: 0, other: 0 };
  const survivors = [];
  for (const m of v.mutants) {
    const off = dis.find(([line, muts]) => line === m.location.start.line && muts.includes(m.mutatorName));
    const s = m.status;
    if (s === 'Ignored' || s === 'CompileError' || s === 'RuntimeError') {
      c.ignored++;
      continue;
    }
    if (off) {
      c.disabled++;
      if (s === 'Killed' || s === 'Timeout') c.disabledKilled++;
      continue;
    }
    if (s === 'Killed') c.killed++;
    else if (s === 'Timeout') c.timeout++;
    else if (s === 'Survived') {
      c.survived++;
      survivors.push(`${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement).slice(0, 70)}`);
    } else if (s === 'NoCoverage') {
      c.nocov++;
      survivors.push(`NOCOV ${m.location.start.line} ${m.mutatorName} ${JSON.stringify(m.replacement).slice(0, 70)}`);
    } else c.other++;
  }
  const rawK = c.killed + c.timeout + c.disabledKilled;
  const rawN = c.killed + c.timeout + c.survived + c.nocov + c.disabled;
  const adjK = c.killed + c.timeout,
    adjN = c.killed + c.timeout + c.survived + c.nocov;
  tot.raw[0] += rawK;
  tot.raw[1] += rawN;
  tot.adj[0] += adjK;
  tot.adj[1] += adjN;
  console.log(
    f,
    JSON.stringify(c),
    `raw ${((100 * rawK) / rawN).toFixed(1)}% (${rawK}/${rawN})`,
    `adjusted ${((100 * adjK) / adjN).toFixed(1)}% (${adjK}/${adjN})`,
  );
  for (const s of survivors) console.log('   ', s);
}
console.log(
  'TOTAL',
  `raw ${((100 * tot.raw[0]) / tot.raw[1]).toFixed(1)}% (${tot.raw.join('/')})`,
  `adjusted ${((100 * tot.adj[0]) / tot.adj[1]).toFixed(1)}% (${tot.adj.join('/')})`,
);
