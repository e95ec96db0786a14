#!/usr/bin/python3
"""PyTorch fixtures for tapegrad's interop tests, and the check of tapegrad's files in PyTorch.

Run with the system Python that has torch (1.13) and numpy:

    /usr/bin/python3 scripts/make-torch-fixtures.py            # write the fixtures, then check tapegrad's files
    /usr/bin/python3 scripts/make-torch-fixtures.py --no-check # only write the fixtures

1. For every case below it builds the PyTorch module (seeded), runs a few training-mode batches
   through batch-norm layers so their running statistics and num_batches_tracked are not the
   defaults, and writes to test/fixtures/torch/:
     <case>.safetensors     the module's state_dict (PyTorch's keys and dtypes: num_batches_tracked is I64)
     <case>.io.safetensors  the inputs and PyTorch's outputs
   The safetensors format is written with numpy + json (scripts/safetensors_np.py; the Python
   safetensors package is not needed).
2. Unless --no-check, it runs `npx tsx scripts/write-tapegrad-fixtures.ts <tmpdir>`, which writes
   the same files from tapegrad's modules, then loads each state dict into the PyTorch module with
   strict=True, runs the same forward on tapegrad's inputs and compares with tapegrad's outputs.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_np import read_safetensors, write_safetensors  # noqa: E402
from tapegrad_ckpt import model_state, read_checkpoint, torch_adam_state  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, 'test', 'fixtures', 'torch')

def state_to_numpy(sd):
    return {k: v.detach().cpu().numpy().copy() for k, v in sd.items()}  # a copy: later runs update buffers


# ---- the cases -----------------------------------------------------------------------------------


class PreLNBlock(nn.Module):
    """A pre-LN transformer encoder block: x + MHA(LN(x)), then + MLP(LN(x))."""

    def __init__(self, d=8, heads=2, ff=16):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


def small_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))


def perturb_affine(m):
    """Norm layers start at weight 1, bias 0: move them so the test sees them."""
    for mod in m.modules():
        if isinstance(mod, (nn.LayerNorm, nn.GroupNorm, nn.BatchNorm1d, nn.BatchNorm2d)) and mod.weight is not None:
            with torch.no_grad():
                mod.weight.copy_(1 + 0.3 * torch.randn_like(mod.weight))
                mod.bias.copy_(0.3 * torch.randn_like(mod.bias))


def run_plain(m, io):
    with torch.no_grad():
        return {'y': m.eval()(io['x'])}


def run_rnn(m, io):
    with torch.no_grad():
        out = m.eval()(io['x'])
    if isinstance(m, nn.LSTM):
        y, (h, c) = out
        return {'y': y, 'h_n': h, 'c_n': c}
    y, h = out
    return {'y': y, 'h_n': h}


def run_mha(m, io):
    with torch.no_grad():
        y, w = m.eval()(io['x'], io['x'], io['x'], key_padding_mask=io['mask'])
    return {'y': y, 'weights': w}


def run_embedding(m, io):
    with torch.no_grad():
        return {'y': m.eval()(io['idx'])}


def run_batchnorm(m, io):
    """Eval output with the stored statistics, then one training-mode step (batch statistics, updated running ones)."""
    with torch.no_grad():
        out = {'y': m.eval()(io['x'])}
        out['y_train'] = m.train()(io['x'])
    bns = [mod for mod in m.modules() if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d))]
    out['after_running_mean'] = bns[0].running_mean.clone()
    out['after_running_var'] = bns[0].running_var.clone()
    out['after_num_batches_tracked'] = bns[0].num_batches_tracked.clone()
    return out


def warm_up_batchnorm(m, shape, dtype):
    """A few training batches so running statistics and num_batches_tracked are not the defaults."""
    with torch.no_grad():
        m.train()
        for i in range(3):
            m(torch.randn(*shape, dtype=dtype) * (1 + i) + 0.5)


# name -> (builder, input maker, runner, float64?)
def cases():
    rnn = dict(num_layers=2, bidirectional=True, batch_first=True)
    return {
        'linear': (lambda: nn.Linear(5, 3), lambda: {'x': torch.randn(4, 5)}, run_plain),
        'conv1d': (lambda: nn.Conv1d(3, 4, 3, padding=1), lambda: {'x': torch.randn(2, 3, 8)}, run_plain),
        'conv2d': (lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), lambda: {'x': torch.randn(2, 3, 7, 7)}, run_plain),
        'conv_transpose2d': (lambda: nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1),
                             lambda: {'x': torch.randn(2, 4, 4, 4)}, run_plain),
        'batchnorm1d': (lambda: nn.BatchNorm1d(4), lambda: {'x': torch.randn(6, 4)}, run_batchnorm),
        'batchnorm2d': (lambda: nn.BatchNorm2d(3), lambda: {'x': torch.randn(2, 3, 4, 4)}, run_batchnorm),
        'layernorm': (lambda: nn.LayerNorm([4, 5]), lambda: {'x': torch.randn(3, 4, 5)}, run_plain),
        'groupnorm': (lambda: nn.GroupNorm(2, 4), lambda: {'x': torch.randn(2, 4, 3, 3)}, run_plain),
        'embedding': (lambda: nn.Embedding(10, 4), lambda: {'idx': torch.tensor([[0, 3, 9], [2, 2, 7]])}, run_embedding),
        'rnn': (lambda: nn.RNN(3, 4, **rnn), lambda: {'x': torch.randn(2, 5, 3)}, run_rnn),
        'lstm': (lambda: nn.LSTM(3, 4, **rnn), lambda: {'x': torch.randn(2, 5, 3)}, run_rnn),
        'gru': (lambda: nn.GRU(3, 4, **rnn), lambda: {'x': torch.randn(2, 5, 3)}, run_rnn),
        'mha': (lambda: nn.MultiheadAttention(8, 2, batch_first=True),
                lambda: {'x': torch.randn(2, 5, 8), 'mask': torch.tensor([[False] * 5, [False] * 3 + [True] * 2])}, run_mha),
        'cnn': (small_cnn, lambda: {'x': torch.randn(2, 1, 8, 8)}, run_batchnorm),
        'transformer_block': (PreLNBlock, lambda: {'x': torch.randn(2, 5, 8)}, run_plain),
    }


FLOAT64_CASES = ['linear', 'conv2d', 'batchnorm2d', 'lstm', 'transformer_block']


def cast_inputs(io, dtype):
    return {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in io.items()}


def make_fixtures():
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for name, (build, inputs, run) in cases().items():
        for dtype in ([torch.float32, torch.float64] if name in FLOAT64_CASES else [torch.float32]):
            torch.manual_seed(0)
            m = build().to(dtype)
            perturb_affine(m)
            io = cast_inputs(inputs(), dtype)
            if run is run_batchnorm:
                warm_up_batchnorm(m, tuple(io['x'].shape), dtype)
            state = state_to_numpy(m.state_dict())
            outputs = run(m, io)
            tag = name + ('_f64' if dtype == torch.float64 else '')
            write_safetensors(os.path.join(OUT_DIR, tag + '.safetensors'), state, {'format': 'pt', 'torch': torch.__version__})
            arrays = {**{k: v.numpy() for k, v in io.items()}, **{k: v.numpy() for k, v in outputs.items()}}
            write_safetensors(os.path.join(OUT_DIR, tag + '.io.safetensors'), arrays)
            size = sum(os.path.getsize(os.path.join(OUT_DIR, tag + s)) for s in ('.safetensors', '.io.safetensors'))
            total += size
            print(f'wrote {tag:<22} {len(state):>2} state tensors ({", ".join(sorted(state)[:4])}{", ..." if len(state) > 4 else ""}), {size} bytes')
    total += make_half_fixtures()
    print(f'fixtures: {total} bytes in {OUT_DIR}')


def make_half_fixtures():
    """A Linear saved in float16 and in bfloat16: tapegrad reads both exactly as float32."""
    total = 0
    for tag, dt in (('linear_f16', torch.float16), ('linear_bf16', torch.bfloat16)):
        torch.manual_seed(0)
        m = nn.Linear(5, 3)
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(p.to(dt).float())  # the float32 model that the half file describes exactly
            x = torch.randn(4, 5)
            y = m(x)
        half = {k: v.to(dt) for k, v in m.state_dict().items()}
        if dt == torch.bfloat16:
            state, codes = {k: v.view(torch.int16).numpy() for k, v in half.items()}, {k: 'BF16' for k in half}
        else:
            state, codes = {k: v.numpy() for k, v in half.items()}, None
        write_safetensors(os.path.join(OUT_DIR, tag + '.safetensors'), state, {'format': 'pt'}, codes)
        write_safetensors(os.path.join(OUT_DIR, tag + '.io.safetensors'), {'x': x.numpy(), 'y': y.numpy()})
        size = sum(os.path.getsize(os.path.join(OUT_DIR, tag + s)) for s in ('.safetensors', '.io.safetensors'))
        print(f'wrote {tag:<22} {len(state):>2} state tensors ({", ".join(sorted(state))}) stored as {str(dt)[6:]}, {size} bytes')
        total += size
    return total


def max_rel_err(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(1.0, float(np.max(np.abs(b))))) if a.size else 0.0


def check_tapegrad(tmp):
    cmd = ['npx', 'tsx', 'scripts/write-tapegrad-fixtures.ts', tmp]
    print('$ ' + ' '.join(cmd[:-1]) + ' <tmpdir>')
    subprocess.run(cmd, cwd=ROOT, check=True)
    failures = 0
    for name, (build, _inputs, run) in cases().items():
        for tag, dtype in ([(name, torch.float32)] + ([(name + '_f64', torch.float64)] if name in FLOAT64_CASES else [])):
            state, meta = read_safetensors(os.path.join(tmp, tag + '.safetensors'))
            arrays, _ = read_safetensors(os.path.join(tmp, tag + '.io.safetensors'))
            m = build().to(dtype)
            result = m.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=True)
            ints = sorted(k for k, v in state.items() if v.dtype == np.int64)
            io = {k: torch.from_numpy(v) for k, v in arrays.items()}
            inputs = {k: io[k] for k in ('x', 'idx', 'mask') if k in io}
            ours = run(m, inputs)
            tol = 1e-6 if dtype == torch.float64 else 1e-5
            errs = {k: max_rel_err(v.numpy(), io[k]) for k, v in ours.items()}
            worst = max(errs.values())
            ok = worst <= tol
            failures += 0 if ok else 1
            print(f'{"ok  " if ok else "FAIL"} {tag:<22} load_state_dict(strict=True): {result}; '
                  f'{len(state)} tensors{" (I64: " + ", ".join(ints) + ")" if ints else ""}; '
                  f'max rel err {worst:.2e} over {", ".join(sorted(errs))} (tol {tol:g})')
    failures += check_resume(tmp)
    print('all tapegrad files load strictly in PyTorch and match' if failures == 0 else f'{failures} case(s) FAILED')
    return failures


def check_resume(tmp):
    """A tapegrad Adam run checkpointed after 10 steps continues in PyTorch as it does in tapegrad."""
    tensors, tree = read_checkpoint(os.path.join(tmp, 'resume.safetensors'))
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).double()
    result = model.load_state_dict(model_state(tensors), strict=True)
    opt = torch.optim.Adam(model.parameters())
    opt.load_state_dict(torch_adam_state(tree, tensors, opt))
    x, y = (torch.from_numpy(tensors[tree[k]['$tensor']]) for k in ('x', 'y'))
    for _ in range(5):
        opt.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        opt.step()
    after, _ = read_safetensors(os.path.join(tmp, 'resume-after.safetensors'))
    worst = max(max_rel_err(v.detach().numpy(), after[k]) for k, v in model.state_dict().items())
    ok = worst <= 1e-10
    print(f'{"ok  " if ok else "FAIL"} resume                 io.saveCheckpoint after {tree["steps"]} Adam steps (amsgrad, weight decay, float64): '
          f'model {result}, optimizer state mapped to torch.optim.Adam; 5 more steps in PyTorch vs tapegrad: max rel err {worst:.2e} (tol 1e-10)')
    return 0 if ok else 1


def main():
    print(f'torch {torch.__version__}, numpy {np.__version__}')
    make_fixtures()
    if '--no-check' in sys.argv:
        return 0
    with tempfile.TemporaryDirectory(prefix='tapegrad-to-torch-') as tmp:
        return 1 if check_tapegrad(tmp) else 0


if __name__ == '__main__':
    sys.exit(main())
