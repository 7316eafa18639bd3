/** Returns what `fn` throws (undefined when it returns), to assert on an error's class and code. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Returns what `p` rejects with (undefined when it resolves), the async twin of thrown. */
export const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
