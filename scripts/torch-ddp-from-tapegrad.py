#!/usr/bin/python3
"""Resume a tapegrad training run in PyTorch with DistributedDataParallel (docs/interop.md).

    /usr/bin/torchrun --nproc_per_node=2 scripts/torch-ddp-from-tapegrad.py run/start.safetensors run/ddp.safetensors

Reads the checkpoint written by tapegrad's io.saveCheckpoint({ model, optimizer, epoch }): the model's
tensors are under `model.` with PyTorch's keys, so they load with strict=True; Adam's moments
(`optimizer.state.<i>.expAvg`/`expAvgSq`) and the step count (in the JSON metadata) become
PyTorch's `exp_avg`/`exp_avg_sq`/`step`. Each process trains on its shard of the data (CPU, gloo);
rank 0 writes the trained state dict as safetensors, which tapegrad loads back with nn.load.
"""
import os
import sys

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_np import write_safetensors  # noqa: E402
from tapegrad_ckpt import model_state, read_checkpoint, torch_adam_state  # noqa: E402


def main(start, out):
    dist.init_process_group('gloo')
    rank, world = dist.get_rank(), dist.get_world_size()
    tensors, tree = read_checkpoint(start)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    print(f'rank {rank}: load_state_dict(strict=True): {model.load_state_dict(model_state(tensors), strict=True)}')
    opt = torch.optim.Adam(model.parameters())
    opt.load_state_dict(torch_adam_state(tree, tensors, opt))
    ddp = DDP(model)
    data = np.load(start.replace('.safetensors', '') + '-data.npz')
    x, y = torch.from_numpy(data['x'])[rank::world], torch.from_numpy(data['y'])[rank::world]
    epoch = tree['epoch']
    for step in range(epoch, epoch + 30):
        opt.zero_grad()
        loss = ((ddp(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    print(f'rank {rank}/{world}: epochs {epoch + 1}..{epoch + 30} on {len(x)} samples, last shard loss {loss.item():.4f}')
    if rank == 0:
        write_safetensors(out, {k: v.detach().numpy() for k, v in model.state_dict().items()}, {'format': 'pt'})
        print(f'rank 0: wrote {out}')
    dist.destroy_process_group()


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
