import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, ValueError, training } from '../../src/index.js';

/** A stream double: records writes; `isTTY` and `columns` as a terminal would report them. */
class Capture {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

/** Runs a loop over `items` with a clock that advances `stepMs` per item, inside the loop body. */
function run<T>(items: Iterable<T>, stream: Capture, stepMs: number, options: training.ProgressBarOptions = {}): training.ProgressBar<T> {
  const clock = { t: 1000 };
  const bar = training.progress(items, { stream, now: () => clock.t, ...options });
  for (const _item of bar) clock.t += stepMs;
  return bar;
}

const range = (n: number) => Array.from({ length: n }, (_v, i) => i);

describe('progress on a plain stream (file, pipe, CI)', () => {
  it('prints one line per 10% and none in between, counts, elapsed<remaining and the rate', () => {
    const out = new Capture(false);
    const bar = run(range(50), out, 100, { desc: 'epoch 1' });
    expect(bar.total).toBe(50);
    const lines = out.lines();
    expect(lines.length).toBe(10);
    expect(out.text).not.toContain('\r');
    // after 25 items at 100 ms each: 2.5 s elapsed, 2.5 s to go, 10 items per second
    expect(lines[4]).toBe('epoch 1:  50% 25/50 [00:02<00:02, 10.00it/s]');
    expect(lines[9]).toBe('epoch 1: 100% 50/50 [00:05<00:00, 10.00it/s]');
  });

  it('everyPercent sets the spacing; postfix values show with 4 decimals', () => {
    const out = new Capture(false);
    const clock = { t: 0 };
    const bar = training.progress(range(8), { stream: out, now: () => clock.t, everyPercent: 25, postfix: { loss: 1 } });
    for (const i of bar) {
      clock.t += 500;
      bar.setPostfix({ loss: 1 / (i + 2), phase: 'train' });
    }
    expect(out.lines()).toEqual([
      ' 25% 2/8 [00:01<00:03, 2.00it/s, loss=0.3333, phase=train]',
      ' 50% 4/8 [00:02<00:02, 2.00it/s, loss=0.2000, phase=train]',
      ' 75% 6/8 [00:03<00:01, 2.00it/s, loss=0.1429, phase=train]',
      '100% 8/8 [00:04<00:00, 2.00it/s, loss=0.1111, phase=train]',
    ]);
  });

  it('an unknown total (a generator) prints one line at the end, with the count and the rate (slow: s/it)', () => {
    function* gen() {
      for (let i = 0; i < 7; i++) yield i;
    }
    const out = new Capture(false);
    const bar = run(gen(), out, 2000, { unit: 'batch' });
    expect(bar.total).toBeNull();
    expect(out.lines()).toEqual(['7batch [00:14, 2.00s/batch]']);
  });

  it('leaving the loop early prints where it stopped', () => {
    const out = new Capture(false);
    const clock = { t: 0 };
    for (const i of training.progress(range(100), { stream: out, now: () => clock.t })) {
      clock.t += 10;
      if (i === 14) break;
    }
    // the 15th item was handed out but its step did not finish (as tqdm counts): 14 done in 150 ms
    expect(out.lines()).toEqual([' 10% 10/100 [00:00<00:00, 100.00it/s]', ' 14% 14/100 [00:00<00:00, 93.33it/s]']);
  });

  it('total overrides length; disable prints nothing', () => {
    const out = new Capture(false);
    expect(run(range(4), out, 1, { total: 8, everyPercent: 50 }).total).toBe(8);
    expect(out.lines()).toEqual([' 50% 4/8 [00:00<00:00, 1000.00it/s]']);
    const quiet = new Capture(false);
    run(range(4), quiet, 1, { disable: true });
    expect(quiet.text).toBe('');
  });

  it('iterating the bar again starts a new count', () => {
    const out = new Capture(false);
    const bar = training.progress(range(3), { stream: out, now: () => 0, everyPercent: 100 });
    for (const _ of bar);
    for (const _ of bar);
    expect(out.lines()).toEqual(['100% 3/3 [00:00<00:00, ?it/s]', '100% 3/3 [00:00<00:00, ?it/s]']);
  });
});

describe('progress on a terminal', () => {
  it('redraws one line in place, throttled, sized to the terminal, ending with a full bar and a newline', () => {
    const out = new Capture(true, 60);
    run(range(100), out, 10, { desc: 'train', refreshMs: 100 });
    expect(out.text.endsWith('\n')).toBe(true);
    expect(out.text.split('\n').length).toBe(2); // a single line, redrawn
    const draws = out.text.slice(0, -1).split('\r').slice(1);
    // the first draw, one about every 10 items, and the final one
    expect(draws.length).toBeGreaterThanOrEqual(10);
    expect(draws.length).toBeLessThanOrEqual(13);
    expect(draws[0]!.startsWith('train:   0%|')).toBe(true);
    const last = draws[draws.length - 1]!;
    expect(last).toMatch(/^train: 100%\|█+\| 100\/100 \[00:01<00:00, 100\.00it\/s\]$/);
    expect(last.length).toBeLessThanOrEqual(59);
    expect(last.length).toBeGreaterThanOrEqual(55);
    const middle = draws.find((d) => d.includes(' 50/100'))!;
    expect(middle).toBeDefined();
    const filled = /\|(█*)([▏▎▍▌▋▊▉]?)( *)\|/.exec(middle)!;
    const width = filled[1]!.length + filled[2]!.length + filled[3]!.length;
    expect(filled[1]!.length).toBe(Math.floor(width / 2));
  });

  it('without a total shows count, elapsed and rate, no bar', () => {
    const out = new Capture(true);
    run(new Set([1, 2, 3]), out, 1000);
    const draws = out.text.trimEnd().split('\r').filter(Boolean);
    expect(draws[draws.length - 1]!.trimEnd()).toBe('3it [00:03, 1.00it/s]');
  });
});

describe('progress with for await', () => {
  it('wraps an async iterable, and a plain one', async () => {
    async function* source() {
      for (let i = 0; i < 4; i++) yield i;
    }
    const out = new Capture(false);
    const seen: number[] = [];
    for await (const x of training.progress(source(), { stream: out, now: () => 0, total: 4, everyPercent: 50 })) seen.push(x);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(out.lines().map((l) => l.slice(0, 8))).toEqual([' 50% 2/4', '100% 4/4']);
    const plain: number[] = [];
    for await (const x of training.progress([5, 6], { stream: out })) plain.push(x);
    expect(plain).toEqual([5, 6]);
  });

  it('a sync loop over an async-only source says to use for await', () => {
    async function* source() {
      yield 1;
    }
    expect(() => {
      for (const _ of training.progress(source(), { stream: new Capture(false) }));
    }).toThrow(/for await/);
  });
});

describe('progress: wrong calls', () => {
  it('rejects a non-iterable, a bad stream, bad options and postfix values', () => {
    expect(() => training.progress(5 as never)).toThrow(ArgumentTypeError);
    expect(() => training.progress([1], { stream: {} as never })).toThrow(/write\(text\)/);
    expect(() => training.progress([1], { everyPercent: 0 })).toThrow(ValueError);
    expect(() => training.progress([1], { total: -1 })).toThrow(ValueError);
    expect(() => training.progress([1], { leave: true } as never)).toThrow(/unknown option 'leave'/);
    const bar = training.progress([1], { stream: new Capture(false) });
    expect(() => bar.setPostfix({ loss: [1] as never })).toThrow(/postfix\.loss/);
  });
});
