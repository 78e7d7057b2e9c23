/**
 * Reading declared settings: every variable is checked and every problem is reported in one
 * error, so a bad deployment names all its mistakes at its first cold start, not one per deploy.
 */
import { ConfigError } from '../errors/index.ts';
import type { Env } from './env.ts';
import type { SettingsSpec } from './define.ts';

/**
 * @example
 * const s = readSettings({ timeoutMs: int('FUJI_ETL_HTTP_TIMEOUT_MS', { default: 60_000, doc }) }, env);
 */
export function readSettings<C>(spec: SettingsSpec<C>, env: Env, owner?: string): C {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(spec) as [string, SettingsSpec<C>[keyof C]][]) {
    try {
      out[key] = s.read(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`${owner ? `${owner}: ` : ''}${problems.join('; ')}`, {
      owner,
      variables: problems.length,
    });
  }
  return Object.freeze(out) as C;
}
