#!/usr/bin/python3
"""numpy fixtures for tapegrad's .npy/.npz tests, and the check that numpy reads tapegrad's files.

    /usr/bin/python3 scripts/make-numpy-fixtures.py

1. Writes small arrays with numpy.save / savez / savez_compressed to test/fixtures/numpy/ (the values
   are simple formulas that test/io/numpy.test.ts states independently).
2. Runs `npx tsx scripts/write-tapegrad-numpy.ts <tmpdir>` and loads its files with numpy.load
   (allow_pickle=False), comparing with the values the script was asked to write.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'numpy')

A6 = np.arange(6).reshape(2, 3)


def fixtures():
    return {
        'f4': (A6 * 0.5).astype('<f4'),
        'f8_special': np.array([np.nan, np.inf, -np.inf, -0.0, 1e-310, 1.5], dtype='<f8'),
        'i4': (A6 - 3).astype('<i4'),
        'b1': np.array([[True, False], [False, True]]),
        'i8': np.array([-(2 ** 31), 2 ** 31 - 1, 7], dtype='<i8'),
        'i8_too_big': np.array([1, 2 ** 40], dtype='<i8'),
        'u1': np.array([0, 255], dtype='u1'),
        'i1': np.array([-128, 127], dtype='i1'),
        'i2': np.array([-32768, 32767], dtype='<i2'),
        'f2': np.array([0.5, -2.0, 65504.0], dtype='<f2'),
        'f8_big_endian': (A6 * 0.25).astype('>f8'),
        'f8_fortran': np.asfortranarray((A6 * 1.0).astype('<f8')),
        'scalar': np.array(3.25, dtype='<f8'),
        'empty': np.zeros((0, 3), dtype='<f4'),
    }


def main():
    print(f'numpy {np.__version__}')
    os.makedirs(OUT, exist_ok=True)
    arrays = fixtures()
    for name, a in arrays.items():
        np.save(os.path.join(OUT, name + '.npy'), a)
    np.savez(os.path.join(OUT, 'savez.npz'), x=arrays['f4'], y=arrays['i8'])
    np.savez_compressed(os.path.join(OUT, 'savez_compressed.npz'), x=arrays['f4'], mask=arrays['b1'])
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f'wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}')
    if '--no-check' in sys.argv:
        return 0
    with tempfile.TemporaryDirectory(prefix='tapegrad-npy-') as tmp:
        print('$ npx tsx scripts/write-tapegrad-numpy.ts <tmpdir>')
        subprocess.run(['npx', 'tsx', 'scripts/write-tapegrad-numpy.ts', tmp], cwd=ROOT, check=True)
        expected = {
            'f4.npy': (A6 * 0.5).astype('float32'),
            'f8.npy': np.array([np.nan, np.inf, -0.0, 1.5], dtype='float64'),
            'i4.npy': (A6 - 3).astype('int32'),
            'b1.npy': np.array([True, False, True]),
            'scalar.npy': np.array(2.5, dtype='float64'),
        }
        bad = 0
        for name, want in expected.items():
            got = np.load(os.path.join(tmp, name), allow_pickle=False)
            ok = got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want, equal_nan=want.dtype.kind == 'f')
            ok = ok and (want.dtype.kind != 'f' or np.array_equal(np.signbit(got), np.signbit(want)))
            bad += not ok
            print(f'{"ok  " if ok else "FAIL"} numpy.load {name:<12} dtype {got.dtype}, shape {got.shape}')
        for name in ('arrays.npz', 'arrays_compressed.npz'):
            with np.load(os.path.join(tmp, name), allow_pickle=False) as z:
                ok = sorted(z.files) == ['x', 'y'] and np.array_equal(z['x'], expected['f4.npy']) and np.array_equal(z['y'], expected['i4.npy'])
                bad += not ok
                print(f'{"ok  " if ok else "FAIL"} numpy.load {name:<12} files {sorted(z.files)}')
        print('numpy reads every file tapegrad wrote' if bad == 0 else f'{bad} FAILED')
        return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
