/**
 * noGrad/enableGrad keep their mode across await when the callback is an async function, leave
 * concurrent code outside the scope alone, and refuse a non-async callback that returns a Promise.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, AutogradError, enableGrad, isGradEnabled, noGrad, ones, setGradEnabled } from '../../src/index.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('grad mode across await', () => {
  it('await noGrad(async () => ...) records nothing, before and after awaits', async () => {
    const w = ones(2, { requiresGrad: true });
    const seen: boolean[] = [];
    const out = await noGrad(async () => {
      seen.push(isGradEnabled());
      await tick();
      seen.push(isGradEnabled());
      await tick();
      return w.mul(2);
    });
    expect(seen).toEqual([false, false]);
    expect(out.requiresGrad).toBe(false);
    expect(isGradEnabled()).toBe(true);
  });

  it('code running concurrently outside the scope keeps recording', async () => {
    const w = ones(2, { requiresGrad: true });
    const scope = noGrad(async () => {
      await tick();
      await tick();
    });
    await tick();
    const outside = w.mul(2).requiresGrad;
    await scope;
    expect(outside).toBe(true);
  });

  it('nests: enableGrad inside an async noGrad, setGradEnabled scoped to the async scope', async () => {
    const modes = await noGrad(async () => {
      const inner = await enableGrad(async () => {
        await tick();
        return isGradEnabled();
      });
      const sync = enableGrad(() => isGradEnabled());
      await tick();
      setGradEnabled(true);
      const afterSet = isGradEnabled();
      return [inner, sync, isGradEnabled(), afterSet];
    });
    expect(modes).toEqual([true, true, true, true]);
    expect(isGradEnabled()).toBe(true);
    const restored = await noGrad(async () => {
      await tick();
      return isGradEnabled();
    });
    expect(restored).toBe(false);
  });

  it('a rejected async scope still ends its mode', async () => {
    await expect(
      noGrad(async () => {
        await tick();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('a non-async callback returning a Promise is refused, and the mode is restored', () => {
    expect(() => noGrad(() => tick())).toThrow(AutogradError);
    expect(() => noGrad(() => tick())).toThrow(
      /noGrad: the callback returned a Promise but is not an async function.*noGrad\(async \(\) => \{ \.\.\. \}\)/,
    );
    expect(isGradEnabled()).toBe(true);
  });

  it('rejects what is not a function and a non-boolean mode', () => {
    expect(() => noGrad(3 as never)).toThrow(ArgumentTypeError);
    expect(() => setGradEnabled(0 as never)).toThrow(ArgumentTypeError);
    expect(() => (noGrad as (...a: unknown[]) => unknown)(() => 1, 2)).toThrow(/noGrad: takes one function/);
  });
});
