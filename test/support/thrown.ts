/** Returns what `fn` throws (undefined when it returns), to assert on an error's class and code. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}
