/**
 * One bad member costs only itself. A slice that reads several things (stations, properties,
 * resources) reads each through {@link eachMember}: a member's failure is recorded with its
 * reason and the others go on. Only when every member failed does the slice fail, so a source
 * that is down as a whole still holds the cursor back.
 *
 * The runtime remembers failing members per connector ({@link MemberHealth}): how many reads in
 * a row failed, since when, and which past slices still owe their rows. Owed slices are re-read
 * for those members on later runs, at most {@link MAX_OWED_ATTEMPTS} times; then the member is
 * given up for that slice, loudly (ledger row and metric), never retried forever in silence.
 */
import { FujiEtlError } from '../errors/index.ts';
import type { FetchContext, MemberFailure } from './connector.ts';

/** A failed member's or record's reason: the error's code and message, one line, clipped. */
export function reasonOf(err: unknown): string {
  const line =
    err instanceof FujiEtlError
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  return line.slice(0, 1_000);
}

/** Re-reads of one owed slice for one member before it is given up. */
export const MAX_OWED_ATTEMPTS = 5;

export class AllMembersFailedError extends FujiEtlError {
  readonly failures: readonly MemberFailure[];
  constructor(failures: readonly MemberFailure[], retryable: boolean, stopsRun = false) {
    super(
      'ALL_MEMBERS_FAILED',
      `every member failed: ${failures
        .map((f) => `${f.member}: ${f.reason}`)
        .join('; ')
        .slice(0, 1_000)}`,
      { retryable, stopsRun, context: { members: failures.length } },
    );
    this.failures = failures;
  }
}

export interface MembersRead<T> {
  readonly values: readonly { readonly member: string; readonly value: T }[];
  readonly failures: readonly MemberFailure[];
  readonly members: readonly string[];
}

/**
 * Reads each member, keeping failures apart. An abort or a deferral (a spent quota) is not one
 * member's problem and ends the slice as before. A member error marked `stopsRun` (refused
 * access) stops only that member; the run ends only when every member was refused so.
 *
 * @example
 * const read = await eachMember(ctx, stations, (s) => `station:${s}`, (s) => getJson(urlOf(s)));
 * return { rows: …, failures: read.failures, members: read.members };
 */
export async function eachMember<M, T>(
  ctx: Pick<FetchContext, 'signal' | 'members'>,
  members: readonly M[],
  nameOf: (m: M, index: number) => string,
  read: (m: M) => Promise<T>,
): Promise<MembersRead<T>> {
  const values: { member: string; value: T }[] = [];
  const failures: MemberFailure[] = [];
  const names: string[] = [];
  let retryable = false;
  let allStop = true;
  for (const [i, m] of members.entries()) {
    const member = nameOf(m, i);
    if (ctx.members && !ctx.members.has(member)) continue;
    names.push(member);
    try {
      values.push({ member, value: await read(m) });
    } catch (err) {
      if (ctx.signal.aborted || (err instanceof FujiEtlError && err.deferred)) throw err;
      retryable ||= err instanceof FujiEtlError && err.retryable;
      allStop &&= err instanceof FujiEtlError && err.stopsRun;
      failures.push({ member, reason: reasonOf(err) });
    }
  }
  if (names.length > 0 && failures.length === names.length)
    // Every member refused in a way that ends the run (access refused everywhere): end it.
    throw new AllMembersFailedError(failures, retryable, allStop);
  return { values, failures, members: names };
}

interface Health {
  /** Reads in a row that failed. */
  failures: number;
  since: string;
  reason: string;
  /** Slice id → re-reads already tried. */
  owed: Record<string, number>;
}

/** The failing members of one connector, kept as one small JSON document in the state store. */
export class MemberHealth {
  private readonly members: Record<string, Health>;
  private changed = false;

  constructor(json: string | undefined) {
    this.members = json ? (JSON.parse(json) as Record<string, Health>) : {};
  }

  /** Records a slice's outcome per member; `owes` when the slice can be re-read later. */
  note(
    sliceId: string,
    failures: readonly MemberFailure[],
    read: readonly string[],
    owes: boolean,
    now: Date,
  ) {
    const failed = new Set(failures.map((f) => f.member));
    for (const f of failures) {
      const h = (this.members[f.member] ??= {
        failures: 0,
        since: now.toISOString(),
        reason: f.reason,
        owed: {},
      });
      h.failures += 1;
      h.reason = f.reason;
      if (owes) h.owed[sliceId] = h.owed[sliceId] ?? 0;
      this.changed = true;
    }
    for (const m of read) {
      const h = this.members[m];
      if (!h || failed.has(m)) continue;
      delete h.owed[sliceId];
      h.failures = 0;
      if (Object.keys(h.owed).length === 0) delete this.members[m];
      this.changed = true;
    }
  }

  /** Owed slices with the members to re-read in each, counting this attempt. */
  takeOwed(planned: ReadonlySet<string>): {
    retry: Map<string, Set<string>>;
    givenUp: { sliceId: string; member: string; reason: string }[];
  } {
    const retry = new Map<string, Set<string>>();
    const givenUp: { sliceId: string; member: string; reason: string }[] = [];
    for (const [member, h] of Object.entries(this.members)) {
      for (const [sliceId, attempts] of Object.entries(h.owed)) {
        // A slice planned anyway is read whole; its outcome settles the debt.
        if (planned.has(sliceId)) continue;
        this.changed = true;
        if (attempts >= MAX_OWED_ATTEMPTS) {
          delete h.owed[sliceId];
          givenUp.push({ sliceId, member, reason: h.reason });
          continue;
        }
        h.owed[sliceId] = attempts + 1;
        const set = retry.get(sliceId) ?? new Set<string>();
        set.add(member);
        retry.set(sliceId, set);
      }
    }
    return { retry, givenUp };
  }

  /** Members failing now: name, reads in a row that failed, since when, last reason. */
  failing(): { member: string; failures: number; since: string; reason: string }[] {
    return Object.entries(this.members)
      .filter(([, h]) => h.failures > 0)
      .map(([member, h]) => ({ member, failures: h.failures, since: h.since, reason: h.reason }));
  }

  get dirty(): boolean {
    return this.changed;
  }

  toJSON(): string {
    return JSON.stringify(this.members);
  }
}
