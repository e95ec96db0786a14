/** Options meta-test entries for the `testing` exports (see types.ts). */
import type { OptionsTable } from './types.js';

/** Entries of the testing area. */
export const table: OptionsTable = {
  'testing.Random': { none: 'takes a seed only' },
  'testing.Arbitrary': { none: 'takes a draw function only' },
  'testing.constant': { none: 'takes a value only' },
  'testing.constantFrom': { none: 'takes values only' },
  'testing.floats': { none: 'takes min and max only' },
  'testing.integers': { none: 'takes min and max only' },
  'testing.oneOf': { none: 'takes arbitraries only' },
  'testing.tuple': { none: 'takes arbitraries only' },
  'testing.shapes': (tg, options) => tg.testing.shapes(options),
  'testing.broadcastShapes': (tg, options) => tg.testing.broadcastShapes(2, options),
  'testing.values': (tg, options) => tg.testing.values(3, options),
  'testing.tensors': (tg, options) => tg.testing.tensors(options),
  'testing.broadcastTensors': (tg, options) => tg.testing.broadcastTensors(2, options),
  'testing.gradcheckProperty': (tg, options) => tg.testing.gradcheckProperty((x) => x, [tg.testing.tensors()], options),
  'testing.checkCreateGraph': { none: 'takes a tolerance and a seed positionally' },
  'testing.checkMixedInputs': { none: 'takes a tolerance and a seed positionally' },
};
