import { describe, expect, it } from 'vitest';
import { FujiEtlError, type ErrorCode } from '../errors/index.ts';
import { AllMembersFailedError, eachMember, MAX_OWED_ATTEMPTS, MemberHealth } from './members.ts';

const signal = new AbortController().signal;
const now = new Date('2026-07-15T00:00:00Z');
const boom = (code: ErrorCode, opts = {}) => new FujiEtlError(code, `${code} happened`, opts);

describe('eachMember', () => {
  it('keeps one member’s failure apart and returns the others', async () => {
    const r = await eachMember(
      { signal },
      ['a', 'b', 'c'],
      (m) => `m:${m}`,
      async (m) => {
        if (m === 'b') throw boom('HTTP_STATUS');
        return m.toUpperCase();
      },
    );
    expect(r.values).toEqual([
      { member: 'm:a', value: 'A' },
      { member: 'm:c', value: 'C' },
    ]);
    expect(r.failures).toEqual([{ member: 'm:b', reason: 'HTTP_STATUS: HTTP_STATUS happened' }]);
    expect(r.members).toEqual(['m:a', 'm:b', 'm:c']);
  });

  it('fails when every member failed, ending the run only if every one was refused so', async () => {
    const all = eachMember(
      { signal },
      ['a', 'b'],
      (m) => m,
      async () => {
        throw boom('GA4_REQUEST', { stopsRun: true, retryable: false });
      },
    );
    await expect(all).rejects.toBeInstanceOf(AllMembersFailedError);
    await expect(all).rejects.toMatchObject({
      stopsRun: true,
      failures: [{ member: 'a' }, { member: 'b' }],
    });
  });

  it('lets a deferral through (a spent quota is not one member’s problem)', async () => {
    const r = eachMember(
      { signal },
      ['a', 'b'],
      (m) => m,
      async (m) => {
        if (m === 'a') throw boom('GA4_QUOTA', { deferred: true });
        return 1;
      },
    );
    await expect(r).rejects.toMatchObject({ code: 'GA4_QUOTA' });
  });

  it('reads only the members the runtime asks for', async () => {
    const r = await eachMember(
      { signal, members: new Set(['m:b']) },
      ['a', 'b'],
      (m) => `m:${m}`,
      async (m) => m,
    );
    expect(r.members).toEqual(['m:b']);
  });
});

describe('MemberHealth', () => {
  it('owes a failed member its slice, re-reads it, and clears it once read', () => {
    const h = new MemberHealth(undefined);
    h.note('s1', [{ member: 'x', reason: 'r' }], ['x', 'y'], true, now);
    expect(h.failing()).toEqual([
      { member: 'x', failures: 1, since: now.toISOString(), reason: 'r' },
    ]);
    const owed = h.takeOwed(new Set(['s2']));
    expect([...owed.retry]).toEqual([['s1', new Set(['x'])]]);
    h.note('s1', [], ['x'], true, now);
    expect(JSON.parse(h.toJSON())).toEqual({});
  });

  it('gives a member up for a slice after the last re-read, loudly, and survives a round trip', () => {
    let h = new MemberHealth(undefined);
    h.note('s1', [{ member: 'x', reason: 'HTTP 404' }], ['x'], true, now);
    for (let i = 0; i < MAX_OWED_ATTEMPTS; i++) {
      const { retry, givenUp } = h.takeOwed(new Set());
      expect(retry.get('s1')).toEqual(new Set(['x']));
      expect(givenUp).toEqual([]);
      h.note('s1', [{ member: 'x', reason: 'HTTP 404' }], ['x'], true, now);
      h = new MemberHealth(h.toJSON());
    }
    const last = h.takeOwed(new Set());
    expect(last.retry.size).toBe(0);
    expect(last.givenUp).toEqual([{ sliceId: 's1', member: 'x', reason: 'HTTP 404' }]);
    // Still failing (visible), no longer owed.
    expect(h.failing()[0]).toMatchObject({ member: 'x', failures: MAX_OWED_ATTEMPTS + 1 });
  });

  it('does not re-read a slice that the run plans anyway, and owes nothing where slices cannot be re-read', () => {
    const h = new MemberHealth(undefined);
    h.note('s1', [{ member: 'x', reason: 'r' }], ['x'], true, now);
    h.note('now', [{ member: 'y', reason: 'r' }], ['y'], false, now);
    expect(h.takeOwed(new Set(['s1'])).retry.size).toBe(0);
    expect(h.failing().map((f) => f.member)).toEqual(['x', 'y']);
  });
});
