/**
 * An object that must never be used: any property read is recorded and throws. Tests hand it as
 * an engine or a store to prove a run fails before it touches either.
 */
export function untouchable(): { readonly value: never; readonly touched: string[] } {
  const touched: string[] = [];
  const value = new Proxy(
    {},
    {
      get: (_t, p) => {
        touched.push(String(p));
        throw new Error(`touched ${String(p)}`);
      },
    },
  ) as never;
  return { value, touched };
}
