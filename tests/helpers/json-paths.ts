/** Paths into parsed JSON, for the fuzz tests that mutate one member of a real payload. */
export type Path = (string | number)[];

/** Every path to an object member or array item, below `prefix`. */
export function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  const children: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : v && typeof v === 'object'
      ? Object.entries(v)
      : [];
  for (const [k, x] of children) {
    out.push([...prefix, k]);
    paths(x, [...prefix, k], out);
  }
  return out;
}
