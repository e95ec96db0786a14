#!/bin/bash
# Usage: scripts/mutation-raw.sh <name> <tests-globs> <file1,file2,...> [concurrency]
# Runs Stryker over the files with their disable comments stripped (the raw run), restoring the
# sources (from git) once the sandbox exists. Score the report with scripts/mutation-score.cjs.
# Example: scripts/mutation-raw.sh conv 'test/kernels/conv.test.ts,test/nn/conv-*.test.ts' src/kernels/conv.ts
set -u
if ! git diff --quiet -- ${3//,/ }; then echo "commit the files first: they are restored from git" >&2; exit 1; fi
mkdir -p reports
name=$1; tests=$2; files=$3; conc=${4:-2}
for f in ${files//,/ }; do sed -i '/Stryker disable next-line/d' "$f"; done
MUTATION_REPORT=$name MUTATION_TMP=.stryker-tmp-$name MUTATION_TESTS=$tests timeout 4000 npx stryker run --mutate "$files" --concurrency "$conc" > reports/$name.log 2>&1 &
pid=$!
for i in $(seq 1 120); do grep -q "Starting initial test run" reports/$name.log && break; sleep 2; done
for f in ${files//,/ }; do git checkout -q -- "$f"; done
wait $pid
