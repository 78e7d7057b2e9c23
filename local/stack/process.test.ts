import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, livePid, startDetached, stopPid } from './process.ts';
import { withLock } from './lock.ts';
import { trinoConfig } from './services.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'stack-'));

describe('background processes', () => {
  it('starts a detached process, finds it by pid file and stops it', async () => {
    const d = dir();
    const spec = {
      command: process.execPath,
      args: ['-e', 'console.log("hello"); setInterval(() => {}, 1000)'],
      logFile: join(d, 'logs', 'p.log'),
      pidFile: join(d, 'p.pid'),
    };
    const pid = startDetached(spec);
    expect(livePid(spec.pidFile)).toBe(pid);
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(spec.logFile, 'utf8')).toContain('hello');
    await stopPid(pid, 2_000);
    expect(isAlive(pid)).toBe(false);
    // A pid file left by a dead process is cleaned up, not trusted.
    expect(livePid(spec.pidFile)).toBeUndefined();
    expect(existsSync(spec.pidFile)).toBe(false);
  });

  it('takes over a lock whose owner died and releases it afterwards', async () => {
    const file = join(dir(), 'x.lock');
    writeFileSync(file, '999999999');
    const result = await withLock(
      file,
      () => {},
      () => 42,
    );
    expect(result).toBe(42);
    expect(existsSync(file)).toBe(false);
  });
});

describe('Trino configuration', () => {
  it('keeps the catalog on local disk and the JVM in UTC', () => {
    const files = trinoConfig(
      {
        cacheDir: '/c',
        stackDir: '/s',
        host: '127.0.0.1',
        trinoPort: 18080,
        athenaPort: 1,
        motoPort: 2,
        fakesPort: 3,
        ga4Port: 1,
        opendataPort: 1,
      },
      25,
    );
    expect(files['etc/catalog/iceberg.properties']).toContain('local.location=/s/warehouse');
    expect(files['etc/catalog/iceberg.properties']).toContain(
      'iceberg.catalog.type=TESTING_FILE_METASTORE',
    );
    // The uploads bucket's catalog: an Iceberg catalog of its own, in a warehouse of its own.
    expect(files['etc/catalog/uploads.properties']).toContain('connector.name=iceberg');
    expect(files['etc/catalog/uploads.properties']).toContain(
      'local.location=/s/warehouse-uploads',
    );
    expect(files['etc/jvm.config']).toContain('-Duser.timezone=UTC');
    expect(files['etc/jvm.config']).toContain('--enable-native-access=ALL-UNNAMED');
    expect(files['etc/config.properties']).toContain('http-server.http.port=18080');
    const old = trinoConfig(
      {
        cacheDir: '/c',
        stackDir: '/s',
        host: '127.0.0.1',
        trinoPort: 18080,
        athenaPort: 1,
        motoPort: 2,
        fakesPort: 3,
        ga4Port: 1,
        opendataPort: 1,
      },
      17,
    );
    expect(old['etc/jvm.config']).not.toContain('--enable-native-access');
  });
});
