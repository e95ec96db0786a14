/**
 * The options meta-test's table: for every exported function and class, how to call it with a given
 * options object in its options place, or why it takes none. The meta-test calls each with an unknown
 * key and expects an error; a new export without an entry fails the test.
 */
import type { Lib } from '../wrong-calls/types.js';

/** How to call an export with `options` (constructing a class, or calling a function), or why it takes no options. */
export type OptionsCall = ((tg: Lib, options: object) => unknown) | { none: string };

/** Entries by export path: `zeros`, `nn.Linear`, `nn.F.linear`, `optim.SGD`, `keras.Dense`, `Tensor#sum`. */
export type OptionsTable = Record<string, OptionsCall>;
