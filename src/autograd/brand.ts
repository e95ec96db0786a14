/**
 * Class brands that keep `instanceof` working across copies of the library in one process (the ESM
 * and the CommonJS build, or two installs): each copy has its own `Tensor` class, so a plain
 * `instanceof` rejects the other copy's tensors. A branded class answers `instanceof` by a
 * process-wide symbol on its prototype instead.
 * @module
 */

/**
 * Brands `cls` as `tapegrad.<name>` (and as each of `alsoBrands`, for a class that must also pass
 * another branded class's `instanceof` without inheriting from it): `value instanceof cls` is then true for instances of any copy
 * of the class branded with the same name. Subclasses that are not branded themselves (a user's
 * `class Net extends nn.Module`) keep the ordinary prototype-chain `instanceof`.
 * @internal
 * @example
 * ```ts
 * class Tensor {}
 * brandClass(Tensor, 'Tensor');
 * ```
 */
export function brandClass(cls: abstract new (...args: never[]) => unknown, name: string, alsoBrands: readonly string[] = []): void {
  const key = Symbol.for(`tapegrad.${name}`);
  Object.defineProperty(cls.prototype, key, { value: true });
  for (const other of alsoBrands) Object.defineProperty(cls.prototype, Symbol.for(`tapegrad.${other}`), { value: true });
  const ordinary = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this !== cls) return ordinary.call(this, value);
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true;
    },
  });
}

/**
 * A process-wide singleton shared by every copy of the library in the process: the first copy to
 * ask makes it, the others get the same object. Used for state that must be one per process (grad
 * mode, the default generator), so `noGrad` or `manualSeed` from one build governs the other too.
 * @internal
 * @example
 * ```ts
 * const state = processWide('gradMode', () => ({ enabled: true }));
 * ```
 */
export function processWide<T extends object>(name: string, make: () => T): T {
  const key = Symbol.for(`tapegrad.state.${name}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return (holder[key] ??= make());
}
