"""The safetensors format with numpy + json only (no `safetensors` package): used by the interop scripts.

    from safetensors_np import read_safetensors, write_safetensors
    write_safetensors('m.safetensors', {k: v.numpy() for k, v in model.state_dict().items()})
    arrays, metadata = read_safetensors('m.safetensors')
"""
import json
import struct

import numpy as np

TO_CODE = {np.dtype('float32'): 'F32', np.dtype('float64'): 'F64', np.dtype('int64'): 'I64',
           np.dtype('int32'): 'I32', np.dtype('bool'): 'BOOL', np.dtype('float16'): 'F16',
           np.dtype('uint8'): 'U8', np.dtype('int8'): 'I8', np.dtype('int16'): 'I16'}
FROM_CODE = {v: k for k, v in TO_CODE.items()}


def write_safetensors(path, arrays, metadata=None, codes=None):
    """Writes name -> numpy array as a safetensors file (little-endian, header padded to 8 bytes).

    `codes` overrides the dtype code of some arrays: {'w': 'BF16'} stores the uint16/int16 bits of a
    bfloat16 tensor (numpy has no bfloat16).
    """
    header = {}
    if metadata:
        header['__metadata__'] = metadata
    offset = 0
    blobs = []
    for name in sorted(arrays):
        a = np.array(arrays[name], order='C', copy=True)  # keeps 0-d arrays 0-d
        data = a.astype(a.dtype.newbyteorder('<'), copy=False).tobytes()
        header[name] = {'dtype': (codes or {}).get(name) or TO_CODE[a.dtype], 'shape': list(a.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Reads a safetensors file into (name -> numpy array, metadata dict)."""
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    meta = header.pop('__metadata__', {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        b, end = e['data_offsets']
        dt = FROM_CODE[e['dtype']].newbyteorder('<')
        out[name] = np.frombuffer(raw[base + b:base + end], dtype=dt).reshape(e['shape']).copy()
    return out, meta
