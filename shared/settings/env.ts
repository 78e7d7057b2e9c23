/**
 * Readers for connector settings in the environment. Each fails fast with a ConfigError naming
 * the variable and the value it got, so a bad deployment stops before any call.
 */
import { ConfigError } from '../errors/index.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Comma-separated codes of exactly `digits` digits (JMA offices, AMeDAS stations). */
export function envCodes(env: Env, name: string, fallback: string, digits: number): string[] {
  return envList(env, name, fallback, new RegExp(`^\\d{${digits}}$`), `${digits}-digit codes`);
}

/** A non-empty comma-separated list whose items match `item`. */
export function envList(
  env: Env,
  name: string,
  fallback: string,
  item: RegExp,
  what: string,
): string[] {
  const list = (env[name] || fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0 || list.some((c) => !item.test(c))) {
    throw new ConfigError(
      `${name} must be comma-separated ${what}, got ${JSON.stringify(env[name])}`,
    );
  }
  return list;
}

/** An http(s) base URL, without a trailing slash. */
export function envUrl(env: Env, name: string, fallback: string): string {
  const v = env[name] || fallback;
  if (!/^https?:\/\/[^/]+/.test(v))
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(v)}`);
  return v.replace(/\/$/, '');
}

/** An integer in [min, max]. */
export function envInt(env: Env, name: string, fallback: number, min = 1, max = Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Infinity ? `≥ ${min}` : `${min}–${max}`;
    throw new ConfigError(`${name} must be an integer ${range}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export function envOneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = env[name] || fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}
