/**
 * Settings are declared, not read ad hoc: each names its environment variable, its type, its
 * production default and what it is for. The runtime reads a connector's declared settings once
 * (cold start, CLI start) and hands them to it; the settings tables in README.md and
 * docs/settings.md are generated from the same declarations.
 *
 * Defaults are the production ones. The local target (the offline fakes, the local stack) is not
 * a default anywhere in product code: the CLI and the test helpers supply its values as
 * environment (local/config.ts `localEnv`).
 */
import { ConfigError } from '../errors/index.ts';
import { envCodes, envInt, envList, envOneOf, envUrl, type Env } from './env.ts';

/** Every variable the suite reads: the suite's own, and AWS's region. */
export type SettingName = `FUJI_ETL_${string}` | 'AWS_REGION';

export interface Setting<T> {
  readonly name: SettingName;
  /** One or two sentences for the generated tables: what it changes, and why one would. */
  readonly doc: string;
  /** The accepted values, for the tables (e.g. `integer 0–60`, `http(s) URL`). */
  readonly type: string;
  /** The production default as written in the tables; undefined when required or unset. */
  readonly fallback: string | undefined;
  readonly required: boolean;
  /** Reads and validates; throws a ConfigError naming the variable. */
  read(env: Env): T;
}

/** A connector's (or function's) settings, by the name its code reads them under. */
export type SettingsSpec<C> = { readonly [K in keyof C]: Setting<C[K]> };

/** The values a spec reads to, e.g. `SettingsOf<typeof settings>`. */
export type SettingsOf<S> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

interface Common {
  readonly doc: string;
}

const setting = <T>(s: Setting<T>): Setting<T> => Object.freeze(s);

/** Required unless a default is given. */
function need(env: Env, name: SettingName): void {
  if (!env[name]) throw new ConfigError(`${name} must be set`);
}

export function int(
  name: SettingName,
  o: Common & { default: number; min?: number; max?: number; unit?: string },
): Setting<number> {
  const min = o.min ?? 1;
  const max = o.max ?? Infinity;
  return setting({
    name,
    doc: o.doc,
    type: `integer ${max === Infinity ? `≥ ${min}` : `${min}–${max}`}${o.unit ? ` (${o.unit})` : ''}`,
    fallback: String(o.default),
    required: false,
    read: (env) => envInt(env, name, o.default, min, max),
  });
}

export function url(name: SettingName, o: Common & { default?: string }): Setting<string> {
  return setting({
    name,
    doc: o.doc,
    type: 'http(s) URL',
    fallback: o.default,
    required: o.default === undefined,
    read: (env) => {
      if (o.default === undefined) need(env, name);
      return envUrl(env, name, o.default ?? '');
    },
  });
}

/** A non-empty comma-separated list whose items match `item`. */
export function list(
  name: SettingName,
  o: Common & { default?: string; item: RegExp; what: string },
): Setting<string[]> {
  return setting({
    name,
    doc: o.doc,
    type: `comma-separated ${o.what}`,
    fallback: o.default,
    required: o.default === undefined,
    read: (env) => {
      if (o.default === undefined) need(env, name);
      return envList(env, name, o.default ?? '', o.item, o.what);
    },
  });
}

/** Comma-separated codes of exactly `digits` digits (JMA offices, AMeDAS stations). */
export function codes(
  name: SettingName,
  o: Common & { default: string; digits: number },
): Setting<string[]> {
  return setting({
    name,
    doc: o.doc,
    type: `comma-separated ${o.digits}-digit codes`,
    fallback: o.default,
    required: false,
    read: (env) => envCodes(env, name, o.default, o.digits),
  });
}

export function oneOf<T extends string>(
  name: SettingName,
  o: Common & { values: readonly T[]; default: T },
): Setting<T> {
  return setting({
    name,
    doc: o.doc,
    type: `one of ${o.values.map((v) => `\`${v}\``).join(', ')}`,
    fallback: o.default,
    required: false,
    read: (env) => envOneOf(env, name, o.values, o.default),
  });
}

/**
 * Free text matching `pattern` when given. Without a default it is optional (undefined when
 * unset) unless `required`.
 */
export function text(
  name: SettingName,
  o: Common & { default: string; pattern?: RegExp; what?: string },
): Setting<string>;
export function text(
  name: SettingName,
  o: Common & { required: true; pattern?: RegExp; what?: string },
): Setting<string>;
export function text(
  name: SettingName,
  o: Common & { pattern?: RegExp; what?: string },
): Setting<string | undefined>;
export function text(
  name: SettingName,
  o: Common & { default?: string; required?: boolean; pattern?: RegExp; what?: string },
): Setting<string | undefined> {
  const required = o.required === true;
  return setting({
    name,
    doc: o.doc,
    type: o.what ?? 'text',
    fallback: o.default,
    required,
    read: (env) => {
      if (required) need(env, name);
      const v = env[name] || o.default || undefined;
      if (v !== undefined && o.pattern && !o.pattern.test(v))
        throw new ConfigError(`${name} must be ${o.what ?? o.pattern}, got ${JSON.stringify(v)}`);
      return v;
    },
  });
}

/** A value with its own parser (JSON lists, time zones): `parse` throws a ConfigError. */
export function custom<T>(
  name: SettingName,
  o: Common & { type: string; fallback?: string; parse: (raw: string | undefined) => T },
): Setting<T> {
  return setting({
    name,
    doc: o.doc,
    type: o.type,
    fallback: o.fallback,
    required: false,
    read: (env) => o.parse(env[name] || undefined),
  });
}
