import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseTrino, jdkMajor } from './jdk.ts';

function fakeJdk(version: string): string {
  const home = mkdtempSync(join(tmpdir(), 'jdk-'));
  mkdirSync(join(home, 'bin'));
  writeFileSync(join(home, 'bin', 'java'), '');
  writeFileSync(join(home, 'release'), `IMPLEMENTOR="x"\nJAVA_VERSION="${version}"\n`);
  return home;
}

describe('choosing Trino by the JDKs on the machine', () => {
  it('reads the major version from the release file', () => {
    expect(jdkMajor(fakeJdk('25.0.1'))).toBe(25);
    expect(jdkMajor(fakeJdk('17.0.15'))).toBe(17);
    expect(jdkMajor(fakeJdk('1.8.0_402'))).toBe(8);
    expect(jdkMajor(mkdtempSync(join(tmpdir(), 'nojdk-')))).toBeUndefined();
  });

  it('picks Trino 476 on JDK 24+, whatever order the JDKs come in', () => {
    const jdks = [
      { home: '/jvm/17', major: 17 },
      { home: '/jvm/25', major: 25 },
    ];
    const sorted = [...jdks].sort((a, b) => b.major - a.major);
    const c = chooseTrino(sorted);
    expect(c.release.version).toBe(476);
    expect(c.jdk.home).toBe('/jvm/25');
  });

  it('falls back to Trino 435 with only JDK 17', () => {
    const c = chooseTrino([{ home: '/jvm/17', major: 17 }]);
    expect(c.release.version).toBe(435);
    expect(c.jdk.major).toBe(17);
  });

  it('names what is missing when no JDK can run any Trino', () => {
    expect(() => chooseTrino([{ home: '/jvm/11', major: 11 }])).toThrow(
      /no JDK 24 or newer found \(Trino 476 needs one.*found: 11 at \/jvm\/11/,
    );
    expect(() => chooseTrino([])).toThrow(/found none/);
  });
});
