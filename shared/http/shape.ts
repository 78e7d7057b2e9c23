/**
 * Reading an untyped JSON payload with every step's path remembered, so a payload that breaks
 * the expected shape fails with the URL and the exact place, e.g.
 * `…/forecast/220000.json at $[0].timeSeries[2].areas[1].temps: expected an array, got string`.
 */
import { SourceShapeError } from './errors.ts';

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export class Json {
  readonly value: unknown;
  readonly path: string;
  readonly url: string;

  constructor(value: unknown, url: string, path = '$') {
    this.value = value;
    this.url = url;
    this.path = path;
  }

  fail(message: string): never {
    throw new SourceShapeError(this.url, this.path, message);
  }

  private expect(what: string, ok: boolean): void {
    if (!ok) this.fail(`expected ${what}, got ${kind(this.value)}`);
  }

  /** A required member of an object. */
  get(name: string): Json {
    this.expect('an object', kind(this.value) === 'object');
    const v = (this.value as Record<string, unknown>)[name];
    const child = new Json(v, this.url, `${this.path}.${name}`);
    if (v === undefined) child.fail('missing');
    return child;
  }

  /** An optional member: undefined when absent. */
  opt(name: string): Json | undefined {
    this.expect('an object', kind(this.value) === 'object');
    const v = (this.value as Record<string, unknown>)[name];
    return v === undefined ? undefined : new Json(v, this.url, `${this.path}.${name}`);
  }

  /** Members of an object, in the payload's order. */
  entries(): [string, Json][] {
    this.expect('an object', kind(this.value) === 'object');
    return Object.entries(this.value as Record<string, unknown>).map(([k, v]) => [
      k,
      new Json(v, this.url, `${this.path}.${k}`),
    ]);
  }

  items(): Json[] {
    this.expect('an array', Array.isArray(this.value));
    return (this.value as unknown[]).map((v, i) => new Json(v, this.url, `${this.path}[${i}]`));
  }

  at(i: number): Json {
    const all = this.items();
    if (i >= all.length) this.fail(`expected at least ${i + 1} items, got ${all.length}`);
    return all[i]!;
  }

  string(): string {
    this.expect('a string', typeof this.value === 'string');
    return this.value as string;
  }

  /** A number, or null where the source writes null. */
  numberOrNull(): number | null {
    if (this.value === null) return null;
    this.expect('a number or null', typeof this.value === 'number');
    return this.value as number;
  }

  /** Strings of an array, all of them (JMA writes every value as a string). */
  strings(): string[] {
    return this.items().map((i) => i.string());
  }
}
