/**
 * Golden tests over the SHIRASAGI CMS's own captured API answers (fixtures/real, see
 * PROVENANCE.md: the only public captures; the prefecture's live answers were never published).
 */
import { describe, expect, it } from 'vitest';
import { Json } from '#shared/http/shape.ts';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { parsePackage } from './parse.ts';

const dir = here(import.meta.url);

describe('real SHIRASAGI captures', () => {
  for (const f of realFixtures(dir).filter((x) => x.name.startsWith('package_show_'))) {
    it(`parses ${f.name} into the package kept for it`, () => {
      const url = 'https://source.example.jp/api/package_show';
      const failures: unknown[] = [];
      const p = parsePackage(new Json(f.json, url).get('result'), failures as never);
      expect(failures).toEqual([]);
      expectGolden(dir, f.name, p);
    });
  }
});
