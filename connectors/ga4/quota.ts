/**
 * GA4 property quotas, read from `propertyQuota` in every answer. The run slows down as a quota
 * runs low and stops cleanly (deferred, cursor kept) before it is spent, leaving a reserve for
 * people using GA's own interface. An exhausted quota (HTTP 429) stops the run the same way.
 * The guard is the requester's, so it lives exactly as long as the run (see `api.ts`).
 */
import { FujiEtlError } from '#shared/errors/index.ts';
import { sleep } from '#shared/engine/sleep.ts';
import type { Request, RequestGuard } from '#shared/http/requester.ts';
import { Json } from '#shared/http/shape.ts';
import { quotaOf, type PropertyQuota, type QuotaStatus, type WatchedQuota } from './parse.ts';

export class QuotaExhaustedError extends FujiEtlError {
  constructor(property: string, why: string) {
    super('GA4_QUOTA', `property ${property}: ${why}; the run stops and resumes next time`, {
      deferred: true,
      context: { property },
    });
  }
}

export class QuotaGuard {
  private readonly reservePct: number;
  private readonly last = new Map<string, PropertyQuota>();
  private readonly limits = new Map<string, number>();

  constructor(reservePct: number) {
    this.reservePct = reservePct;
  }

  note(property: string, quota: PropertyQuota): void {
    this.last.set(property, quota);
    for (const [name, status] of Object.entries(quota) as [WatchedQuota, QuotaStatus][]) {
      // What was left when this run began is the budget the reserve is a share of: it holds
      // for standard and 360 properties alike, and for a day others already used.
      const key = `${property}/${name}`;
      const seen = status.consumed + status.remaining;
      this.limits.set(key, Math.max(this.limits.get(key) ?? 0, seen));
    }
  }

  /** Remaining share of the tightest watched quota, 0–1 (1 before any answer). */
  share(property: string): { name: string; share: number } {
    let tightest = { name: 'none', share: 1 };
    for (const [name, status] of Object.entries(this.last.get(property) ?? {}) as [
      WatchedQuota,
      QuotaStatus,
    ][]) {
      const limit = this.limits.get(`${property}/${name}`) ?? 0;
      const share = limit > 0 ? status.remaining / limit : 0;
      if (share < tightest.share) tightest = { name, share };
    }
    return tightest;
  }

  /** Before each request: stop below the reserve, pause a little within twice the reserve. */
  async beforeRequest(property: string, signal: AbortSignal, deadline?: number): Promise<void> {
    const { name, share } = this.share(property);
    const reserve = this.reservePct / 100;
    if (share < reserve)
      throw new QuotaExhaustedError(
        property,
        `${name} is down to ${(share * 100).toFixed(1)}% (reserve ${this.reservePct}%)`,
      );
    if (share < reserve * 2) {
      const pauseMs = 2_000;
      if (deadline === undefined || Date.now() + pauseMs < deadline) await sleep(pauseMs, signal);
    }
  }
}

const propertyOf = (req: Request) => String(req.context?.property);

/**
 * The guard as the requester calls it, before each request and after each answer; requests
 * name their property in `context.property`.
 */
export function quotaGuard(reservePct: number): RequestGuard {
  const guard = new QuotaGuard(reservePct);
  return {
    before: (req, run) => guard.beforeRequest(propertyOf(req), run.signal, run.deadline),
    after(req, body, url) {
      // A body of another kind is parsePage's to name, with the report's context.
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
      guard.note(propertyOf(req), quotaOf(new Json(body, url).opt('propertyQuota')).quota);
    },
  };
}
