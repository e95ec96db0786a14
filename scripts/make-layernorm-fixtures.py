"""Writes test/fixtures/torch/layer-norm.json: F.layer_norm forward and gradients (input, weight,
bias) computed by real PyTorch (torch 1.13, CPU), for test/nn/layer-norm-torch.test.ts.

Run with the interpreter that has torch: /usr/bin/python3 scripts/make-layernorm-fixtures.py
Each case stores the input (as its own dtype's values), the normalised shape, eps, γ and β (or
null), the output gradient g, PyTorch's y, dx, dweight, dbias, and the same computed exactly in
rational arithmetic from the same (rounded) inputs ("exact": only 1/sqrt(var + eps) is rounded, to
float64), so a test can compare its errors with PyTorch's own.
"""
import json
import math
import os
from fractions import Fraction

import torch
import torch.nn.functional as F

torch.manual_seed(12)


def values(t):
    return t.detach().reshape(-1).tolist()


def run(x, ns, w, b, eps, g):
    x = x.detach().clone().requires_grad_(True)
    w = None if w is None else w.detach().clone().requires_grad_(True)
    b = None if b is None else b.detach().clone().requires_grad_(True)
    y = F.layer_norm(x, ns, w, b, eps)
    y.backward(g)
    return {
        'y': values(y),
        'dx': values(x.grad),
        'dweight': None if w is None else values(w.grad),
        'dbias': None if b is None else values(b.grad),
    }


def exact_run(x, ns, w, b, eps, g):
    """y, dx, dweight, dbias in rational arithmetic over the flattened rows."""
    n = math.prod(ns)
    xs = [Fraction(v) for v in values(x.contiguous())]
    gs = [Fraction(v) for v in values(g)]
    ws = [Fraction(1)] * n if w is None else [Fraction(v) for v in values(w)]
    bs = [Fraction(0)] * n if b is None else [Fraction(v) for v in values(b)]
    y, dx = [], []
    dw, db = [Fraction(0)] * n, [Fraction(0)] * n
    for r in range(len(xs) // n):
        row, grow = xs[r * n:(r + 1) * n], gs[r * n:(r + 1) * n]
        mean = sum(row) / n
        c = [v - mean for v in row]
        var = sum(v * v for v in c) / n
        rstd = Fraction(1 / math.sqrt(float(var + Fraction(eps))))
        xhat = [v * rstd for v in c]
        gh = [gv * wv for gv, wv in zip(grow, ws)]
        mg = sum(gh) / n
        mgx = sum(a * h for a, h in zip(gh, xhat)) / n
        y += [float(h * wv + bv) for h, wv, bv in zip(xhat, ws, bs)]
        dx += [float(rstd * (a - mg - h * mgx)) for a, h in zip(gh, xhat)]
        dw = [acc + gv * h for acc, gv, h in zip(dw, grow, xhat)]
        db = [acc + gv for acc, gv in zip(db, grow)]
    return {
        'y': y,
        'dx': dx,
        'dweight': None if w is None else [float(v) for v in dw],
        'dbias': None if b is None else [float(v) for v in db],
    }


def case(name, shape, ns, dtype, affine=(True, True), eps=1e-5, offset=0.0, scale=1.0, transpose=False):
    if transpose:
        x = (torch.randn(list(reversed(shape)), dtype=dtype) * scale + offset).t()
    else:
        x = torch.randn(shape, dtype=dtype) * scale + offset
    w = torch.randn(ns, dtype=dtype) if affine[0] else None
    b = torch.randn(ns, dtype=dtype) if affine[1] else None
    g = torch.randn(shape, dtype=dtype)
    torch_out = run(x, ns, w, b, eps, g)
    exact = exact_run(x, ns, w, b, eps, g)
    return {
        'name': name,
        'dtype': 'float64' if dtype == torch.float64 else 'float32',
        'shape': list(shape),
        'normalizedShape': list(ns),
        'eps': eps,
        'transposed': transpose,
        # Row-major values of the (possibly transposed) input as the test sees it.
        'x': values(x.contiguous()),
        'weight': None if w is None else values(w),
        'bias': None if b is None else values(b),
        'g': values(g),
        'torch': torch_out,
        'exact': exact,
    }


CASES = [
    case('float64 [3, 5] over [5], weight and bias', [3, 5], [5], torch.float64),
    case('float32 [2, 3, 8] over [8], weight and bias', [2, 3, 8], [8], torch.float32),
    case('float32 [2, 3, 4] over [3, 4] (several trailing dims)', [2, 3, 4], [3, 4], torch.float32),
    case('float64 [4, 1] over [1] (var 0: y = bias, dx = 0)', [4, 1], [1], torch.float64),
    case('float32 [4, 6] without weight and bias', [4, 6], [6], torch.float32, affine=(False, False)),
    case('float32 [4, 6] with weight only', [4, 6], [6], torch.float32, affine=(True, False)),
    case('float64 [4, 6] with bias only, eps 0.1', [4, 6], [6], torch.float64, affine=(False, True), eps=0.1),
    case('float32 [5, 7] transposed (strided) input', [5, 7], [7], torch.float32, transpose=True),
    case('float32 [4, 128] at offset 1e4 (cancellation)', [4, 128], [128], torch.float32, offset=1e4, scale=1e-2),
    case('float64 [3, 32] at offset 1e8 (cancellation)', [3, 32], [32], torch.float64, offset=1e8, scale=1e-3),
    case('float32 [8, 128] over [128] (the benchmark width)', [8, 128], [128], torch.float32),
]

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'torch', 'layer-norm.json')
with open(out, 'w') as f:
    json.dump({'torch': torch.__version__, 'cases': CASES}, f)
print('wrote', out)
