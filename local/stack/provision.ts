/**
 * First-use provisioning into the cache outside the clone: Trino (server + Iceberg and Hive plugins from
 * Maven Central, through the machine's `mvn`), project-owned virtual environments with moto and
 * cfn-lint, and (outside the cache, from Debian) PostgreSQL's server. Each install is built aside and marked complete only at the end, so an interrupted
 * provisioning is redone rather than half-used; a lock keeps two runs from installing at once.
 * Once provisioned, nothing here touches the network.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, FujiEtlError } from '#shared/errors/index.ts';
import type { LocalStackConfig } from '../config.ts';
import { chooseTrino, findJdks, type Jdk, type TrinoRelease } from './jdk.ts';
import { withLock } from './lock.ts';
import { postgresBinDir } from '../postgres/cluster.ts';

export const MOTO_VERSION = '5.2.5';
const DONE = '.fuji-etl-complete';

export interface Installation {
  readonly trinoVersion: number;
  readonly trinoHome: string;
  readonly jdk: Jdk;
  readonly motoVenv: string;
  /** The cfn-lint executable that checks the packaged template. */
  readonly cfnLint: string;
  /** Debian's PostgreSQL server binaries (initdb, pg_ctl, psql). */
  readonly postgresBin: string;
  /** Debian's Chromium, driven by the report's browser test. */
  readonly chromium: string;
}

export interface ProvisionReport {
  readonly trinoVersion: number;
  readonly javaHome: string;
  readonly javaMajor: number;
  readonly motoVersion: string;
  readonly downloaded: readonly string[];
  readonly seconds: number;
}

type Log = (line: string) => void;

function run(cmd: string, args: readonly string[], what: string, cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ConfigError(`${cmd} not found on PATH; it is needed to ${what}`);
  }
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-10).join('\n');
    throw new FujiEtlError('PROVISION', `${what} failed (${cmd} exited ${r.status}):\n${out}`, {
      retryable: true,
    });
  }
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function trinoHome(cfg: LocalStackConfig, version: number): string {
  return join(cfg.cacheDir, `trino-${version}`);
}

/** Path of an artifact in the cache's Maven repository, fetched there if missing. */
function mavenArtifact(cfg: LocalStackConfig, coords: string, log: Log, got: string[]): string {
  const [group, artifact, version, type] = coords.split(':') as [string, string, string, string];
  const repo = join(cfg.cacheDir, 'm2');
  const file = join(repo, ...group.split('.'), artifact, version, `${artifact}-${version}.${type}`);
  if (existsSync(file)) return file;
  log(`provision: fetching ${coords} with mvn (once; cached in ${repo})`);
  run(
    'mvn',
    [
      '-B',
      '-q',
      'dependency:get',
      `-Dartifact=${coords}`,
      '-Dtransitive=false',
      `-Dmaven.repo.local=${repo}`,
    ],
    `fetch ${coords} from Maven Central`,
  );
  if (!existsSync(file)) throw new FujiEtlError('PROVISION', `mvn did not produce ${file}`);
  got.push(coords);
  return file;
}

function unzip(file: string, into: string): void {
  if (has('unzip')) run('unzip', ['-q', file, '-d', into], `unpack ${file}`);
  else run('python3', ['-m', 'zipfile', '-e', file, into], `unpack ${file}`);
}

/** Unpacks a plugin zip (one top folder, trino-<name>-<v>/) into `home/into`, atomically. */
function installPlugin(home: string, file: string, into: string): void {
  const scratch = join(home, `.unzip-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  unzip(file, scratch);
  const [top] = readdirSync(scratch);
  mkdirSync(join(home, 'plugin'), { recursive: true });
  rmSync(join(home, into), { recursive: true, force: true });
  renameSync(join(scratch, top!), join(home, into));
  rmSync(scratch, { recursive: true, force: true });
}

function installTrino(cfg: LocalStackConfig, release: TrinoRelease, log: Log, got: string[]) {
  const home = trinoHome(cfg, release.version);
  const plugins = release.artifacts.filter((a) => a.into !== '.');
  if (existsSync(join(home, DONE))) {
    // An install from before a plugin joined the release gets the plugin added in place.
    for (const a of plugins) {
      if (existsSync(join(home, a.into))) continue;
      const file = mavenArtifact(cfg, a.coords, log, got);
      log(`provision: adding ${a.coords} to ${home}`);
      installPlugin(home, file, a.into);
    }
    return home;
  }
  const tmp = `${home}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const a of release.artifacts) {
    const file = mavenArtifact(cfg, a.coords, log, got);
    log(`provision: unpacking ${a.coords}`);
    if (a.into === '.') {
      run('tar', ['xzf', file, '--strip-components=1', '-C', tmp], `unpack ${file}`);
    } else installPlugin(tmp, file, a.into);
  }
  writeFileSync(join(tmp, DONE), new Date().toISOString());
  rmSync(home, { recursive: true, force: true });
  renameSync(tmp, home);
  return home;
}

export function motoVenv(cfg: LocalStackConfig): string {
  return join(cfg.cacheDir, 'venv-moto');
}

/** cfn-lint (from PyPI; the npm package of that name is an unrelated old project). */
export const CFN_LINT_VERSION = '1.58.0';

/** A project-owned virtual environment holding one pinned PyPI requirement. */
function installVenv(venv: string, requirement: string, log: Log, got: string[]): string {
  const marker = join(venv, `${DONE}-${requirement}`);
  if (existsSync(marker)) return venv;
  // A virtual environment is not relocatable, so it is built in place and marked at the end.
  rmSync(venv, { recursive: true, force: true });
  log(`provision: creating ${venv} with ${requirement} (once)`);
  run('python3', ['-m', 'venv', venv], `create ${venv} (needs python3 ≥ 3.9)`);
  run(
    join(venv, 'bin', 'pip'),
    ['install', '-q', '--disable-pip-version-check', requirement],
    `install ${requirement} from PyPI`,
  );
  writeFileSync(marker, new Date().toISOString());
  got.push(requirement);
  return venv;
}

/**
 * PostgreSQL's server from Debian's packages, for the payment database's prerequisite tests.
 * Installed with apt-get when missing and we may (root); otherwise a clear message.
 */
function ensurePostgres(log: Log, got: string[]): string {
  try {
    return postgresBinDir();
  } catch (err) {
    if (process.getuid?.() !== 0 || !has('apt-get')) throw err;
    log('provision: installing PostgreSQL from Debian packages (once)');
    run('apt-get', ['update', '-q'], 'refresh the Debian package lists');
    run(
      'apt-get',
      ['install', '-y', '-q', '--no-install-recommends', 'postgresql'],
      'install postgresql',
    );
    got.push('postgresql (Debian)');
    return postgresBinDir();
  }
}

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, for the report's browser test (playwright-core drives it by path; its own
 * browser downloads cannot work here). Installed with apt-get when missing and we may (root).
 */
export function ensureChromium(log: Log, got: string[] = []): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0 || !has('apt-get'))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`,
    );
  log('provision: installing Chromium from Debian packages (once)');
  run('apt-get', ['update', '-q'], 'refresh the Debian package lists');
  // With a Japanese font, or the report's screenshots show boxes for every label.
  run(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', 'chromium', 'fonts-ipafont-gothic'],
    'install chromium',
  );
  got.push('chromium (Debian)');
  return CHROMIUM;
}

/** Installs whatever is missing and says what is there. Cheap when everything is cached. */
export async function provision(
  cfg: LocalStackConfig,
  log: Log = () => {},
): Promise<{
  installation: Installation;
  report: ProvisionReport;
}> {
  const t0 = Date.now();
  const forced = process.env.FUJI_ETL_JAVA_HOME;
  const jdks = findJdks();
  const { release, jdk } = chooseTrino(
    jdks,
    forced ? jdks.find((j) => j.home === forced) : undefined,
  );
  mkdirSync(cfg.cacheDir, { recursive: true });
  const got: string[] = [];
  const installation = await withLock(join(cfg.cacheDir, 'provision.lock'), log, () => ({
    trinoVersion: release.version,
    trinoHome: installTrino(cfg, release, log, got),
    jdk,
    motoVenv: installVenv(motoVenv(cfg), `moto[server]==${MOTO_VERSION}`, log, got),
    postgresBin: ensurePostgres(log, got),
    chromium: ensureChromium(log, got),
    cfnLint: join(
      installVenv(join(cfg.cacheDir, 'venv-cfn-lint'), `cfn-lint==${CFN_LINT_VERSION}`, log, got),
      'bin',
      'cfn-lint',
    ),
  }));
  return {
    installation,
    report: {
      trinoVersion: release.version,
      javaHome: jdk.home,
      javaMajor: jdk.major,
      motoVersion: MOTO_VERSION,
      downloaded: got,
      seconds: Math.round((Date.now() - t0) / 100) / 10,
    },
  };
}
