"""Reading tapegrad's io.saveCheckpoint files in PyTorch (numpy + json only)."""
import json

import torch

from safetensors_np import read_safetensors


def read_checkpoint(path):
    """(tensors by key, the checkpoint's JSON tree)."""
    tensors, meta = read_safetensors(path)
    return tensors, json.loads(meta['tapegrad.checkpoint'])


def model_state(tensors, prefix='model.'):
    """The model's state dict (PyTorch's keys) from a checkpoint's tensors."""
    return {k[len(prefix):]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith(prefix)}


def torch_adam_state(tree, tensors, opt, key='optimizer'):
    """tapegrad's Adam state (expAvg, expAvgSq, step; group options) as PyTorch's Adam state dict."""
    saved = tree[key]['$state']
    state = {}
    for idx, s in saved['state'].items():
        state[int(idx)] = {'step': torch.tensor(float(s['step'])),
                           'exp_avg': torch.from_numpy(tensors[s['expAvg']['$tensor']]),
                           'exp_avg_sq': torch.from_numpy(tensors[s['expAvgSq']['$tensor']])}
        if 'maxExpAvgSq' in s:
            state[int(idx)]['max_exp_avg_sq'] = torch.from_numpy(tensors[s['maxExpAvgSq']['$tensor']])
    groups = []
    for mine, g in zip(opt.state_dict()['param_groups'], saved['paramGroups']):
        groups.append({**mine, 'lr': g['lr'], 'betas': tuple(g['betas']), 'eps': g['eps'],
                       'weight_decay': g['weightDecay'], 'amsgrad': g['amsgrad'], 'maximize': g['maximize']})
    return {'state': state, 'param_groups': groups}
