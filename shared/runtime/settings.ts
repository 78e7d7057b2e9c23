/**
 * Connector settings, read once per process from one environment: the Lambda handlers build this
 * at cold start (and validate every connector they can run, so a bad deployment fails there), the
 * CLI at start, the tests from theirs. A run then gets its connector's settings from it before any
 * table is ensured or lock taken.
 */
import { ConfigError } from '../errors/index.ts';
import type { Env } from '../settings/env.ts';
import { readSettings } from '../settings/read.ts';
import type { ConnectorDefinition, Slice } from './connector.ts';

export class ConnectorSettings {
  readonly #env: Env;
  readonly #read = new Map<string, unknown>();

  constructor(env: Env) {
    this.#env = env;
  }

  /** The connector's settings (cached); throws a ConfigError naming every bad variable. */
  of<C>(def: ConnectorDefinition<Slice, C> | ConnectorDefinition<never, C>): C {
    if (!this.#read.has(def.name)) {
      this.#read.set(
        def.name,
        def.settings ? readSettings(def.settings, this.#env, `connector ${def.name}`) : {},
      );
    }
    return this.#read.get(def.name) as C;
  }

  /** Reads every connector's settings now and reports all problems at once. */
  validate(defs: Iterable<{ readonly name: string }>): this {
    const problems: string[] = [];
    for (const def of defs) {
      try {
        this.of(def as ConnectorDefinition<Slice, unknown>);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems.push(err.message);
      }
    }
    if (problems.length > 0)
      throw new ConfigError(problems.join('\n'), { connectors: problems.length });
    return this;
  }
}
