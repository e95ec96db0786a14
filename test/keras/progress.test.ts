import { describe, expect, it } from 'vitest';
import { keras } from '../../src/index.js';
import { formatDuration, formatValue } from '../../src/keras/progress.js';
import { CaptureStream, blobs } from './helpers.js';

/** Drives a ProgressLogger by hand with a fake clock (ms), as fit would. */
function drive(logger: keras.ProgressLogger, epochs: number, steps: number, clock: { t: number }, stepMs: number, logs: keras.Logs): void {
  logger.setParams({ epochs, steps, batchSize: 32, samples: steps * 32, verbose: 1 });
  for (let e = 0; e < epochs; e++) {
    logger.onEpochBegin(e);
    for (let b = 0; b < steps; b++) {
      clock.t += stepMs;
      logger.onBatchEnd(b, { batch: b, size: 32, ...logs });
    }
    logger.onEpochEnd(e, { ...logs });
  }
}

describe('number and time formats', () => {
  it('formats values like Keras and durations in seconds or minutes', () => {
    expect(formatValue(0.41234)).toBe('0.4123');
    expect(formatValue(12)).toBe('12.0000');
    expect(formatValue(0)).toBe('0.0000');
    expect(formatValue(0.00012345)).toBe('1.2345e-4');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatValue(-Infinity)).toBe('-inf');
    expect(formatDuration(1234)).toBe('1.2s');
    expect(formatDuration(59_900)).toBe('59.9s');
    expect(formatDuration(125_000)).toBe('2m 05s');
  });
});

describe('plain output (not a TTY)', () => {
  it('writes exactly one line per epoch in the documented format', () => {
    const out = new CaptureStream(false);
    const clock = { t: 0 };
    const logger = new keras.ProgressLogger({ stream: out, now: () => clock.t });
    drive(logger, 10, 250, clock, 4.8, { loss: 0.41234, accuracy: 0.88118 });
    const lines = out.lines();
    expect(lines.length).toBe(10);
    expect(lines[2]).toBe('Epoch 3/10 - 250 steps - 1.2s - loss: 0.4123 - accuracy: 0.8812');
    expect(out.text).not.toContain('\r');
  });

  it('fit with verbose 2 (or 1 on a non-TTY) prints the epoch lines with the History values; verbose 0 prints nothing', async () => {
    const d = blobs(40, 2);
    const model = new keras.Sequential([new keras.Dense({ units: 3, activation: 'softmax', inputDim: 2 })]);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const out = new CaptureStream(false);
    const h = await model.fit(d.x, d.oneHot, { epochs: 2, batchSize: 16, validationSplit: 0.25, stream: out });
    const lines = out.lines();
    expect(lines.length).toBe(2);
    lines.forEach((line, e) => {
      const f = (k: string) => formatValue(h.history[k]![e]!);
      expect(line).toMatch(
        new RegExp(
          `^Epoch ${e + 1}/2 - 2 steps - \\d+\\.\\ds - loss: ${f('loss')} - accuracy: ${f('accuracy')} - val_loss: ${f('val_loss')} - val_accuracy: ${f('val_accuracy')}$`,
        ),
      );
    });
    const quiet = new CaptureStream(false);
    await model.fit(d.x, d.oneHot, { epochs: 2, verbose: 0, stream: quiet });
    expect(quiet.text).toBe('');
    const tty = new CaptureStream(true);
    await model.fit(d.x, d.oneHot, { epochs: 1, verbose: 2, stream: tty });
    expect(tty.text).toMatch(/^Epoch 1\/1 - 2 steps - /);
    expect(tty.text).not.toContain('[');
  });
});

describe('TTY output', () => {
  it('draws a bar with steps, elapsed time, ETA and running logs, redrawn in place', () => {
    const out = new CaptureStream(true);
    const clock = { t: 0 };
    const logger = new keras.ProgressLogger({ stream: out, now: () => clock.t });
    drive(logger, 2, 10, clock, 50, { loss: 0.5, accuracy: 0.75 });
    expect(out.text.startsWith('Epoch 1/2\n')).toBe(true);
    // After step 1 of 10 at 50 ms: 3 of 30 bar cells, ETA = 9 steps × 50 ms.
    expect(out.text).toContain('\r 1/10 [==>...........................] - 0.1s - ETA: 0.5s - loss: 0.5000 - accuracy: 0.7500');
    // Redraws are at least 100 ms apart: step 2 (100 ms) is skipped, step 3 (150 ms) is drawn.
    expect(out.text).not.toContain(' 2/10 [');
    expect(out.text).toContain(' 3/10 [========>.....................] - 0.1s - ETA: 0.3s');
    // The epoch ends on a full bar with the time per step, then a newline.
    // (padded with spaces to wipe the longer line it replaces).
    expect(out.text).toMatch(/\r10\/10 \[={30}\] - 0\.5s 50ms\/step - loss: 0\.5000 - accuracy: 0\.7500 *\nEpoch 2\/2\n/);
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('fit on a TTY stream shows the bar and an ETA', async () => {
    const d = blobs(200, 3);
    const model = new keras.Sequential([new keras.Dense({ units: 3, activation: 'softmax', inputDim: 2 })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const out = new CaptureStream(true);
    await model.fit(d.x, d.oneHot, { epochs: 1, batchSize: 10, stream: out });
    expect(out.text).toContain('Epoch 1/1\n');
    expect(out.text).toMatch(/ 1\/20 \[>\.{29}\] - \d+\.\ds - ETA: \d+\.\ds - loss: \d+\.\d{4} - accuracy: \d\.\d{4}/);
    expect(out.text).toMatch(/20\/20 \[={30}\] - \d+\.\ds \d+ms\/step - loss: /);
  });
});
