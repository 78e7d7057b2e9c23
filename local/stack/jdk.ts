/**
 * Finds the JDKs on the machine and picks the newest Trino that one of them can run. JAVA_HOME
 * is chosen by version, never by PATH order: machines here have OpenJDK 17 as the default `java`
 * and a newer Temurin beside it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '#shared/errors/index.ts';

export interface Jdk {
  readonly home: string;
  readonly major: number;
}

export interface TrinoRelease {
  readonly version: number;
  /** Smallest JDK major the release runs on. */
  readonly minJdk: number;
  /**
   * Maven artifacts (group:artifact:version:type) and where each unpacks. Since 472 a small
   * server core plus the Iceberg plugin replaces the 783 MiB full tarball; the Hive plugin reads
   * the writer's staged Parquet through the Glue catalog (moto), as Athena reads AwsDataCatalog.
   */
  readonly artifacts: readonly { coords: string; into: '.' | `plugin/${string}` }[];
}

/** Newest first. 476 is the last release Maven Central serves; 435 the last on JDK 17. */
export const TRINO_RELEASES: readonly TrinoRelease[] = [
  {
    version: 476,
    minJdk: 24,
    artifacts: [
      { coords: 'io.trino:trino-server-core:476:tar.gz', into: '.' },
      { coords: 'io.trino:trino-iceberg:476:zip', into: 'plugin/iceberg' },
      { coords: 'io.trino:trino-hive:476:zip', into: 'plugin/hive' },
    ],
  },
  {
    // Untested here (this machine has JDK 25); the full server already contains the plugin.
    version: 435,
    minJdk: 17,
    artifacts: [{ coords: 'io.trino:trino-server:435:tar.gz', into: '.' }],
  },
];

/** Reads the major version from the JDK's `release` file (JAVA_VERSION="25.0.1"). */
export function jdkMajor(home: string): number | undefined {
  const release = join(home, 'release');
  if (!existsSync(join(home, 'bin', 'java')) || !existsSync(release)) return undefined;
  const m = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(readFileSync(release, 'utf8'));
  if (!m) return undefined;
  // Java 8 and older report 1.8; nothing that old can run any Trino.
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

export function findJdks(env: NodeJS.ProcessEnv = process.env): Jdk[] {
  const candidates = new Set<string>();
  for (const v of [env.FUJI_ETL_JAVA_HOME, env.JAVA_HOME]) if (v) candidates.add(v);
  for (const root of ['/usr/lib/jvm', '/usr/java', '/opt/java']) {
    if (!existsSync(root)) continue;
    for (const d of readdirSync(root)) candidates.add(join(root, d));
  }
  const jdks: Jdk[] = [];
  for (const home of candidates) {
    const major = jdkMajor(home);
    if (major !== undefined && !jdks.some((j) => j.major === major && j.home === home)) {
      jdks.push({ home, major });
    }
  }
  return jdks.sort((a, b) => b.major - a.major);
}

/** The newest Trino release some JDK here runs, with that JDK; a clear error when none. */
export function chooseTrino(
  jdks: readonly Jdk[],
  forced?: Jdk,
): { release: TrinoRelease; jdk: Jdk } {
  const pool = forced ? [forced] : jdks;
  for (const release of TRINO_RELEASES) {
    const jdk = pool.find((j) => j.major >= release.minJdk);
    if (jdk) return { release, jdk };
  }
  const found = pool.length
    ? `found: ${pool.map((j) => `${j.major} at ${j.home}`).join(', ')}`
    : 'found none in /usr/lib/jvm or JAVA_HOME';
  throw new ConfigError(
    `no JDK 24 or newer found (Trino 476 needs one; Trino 435 needs at least 17); ${found}. ` +
      'Install a JDK or set FUJI_ETL_JAVA_HOME.',
  );
}
