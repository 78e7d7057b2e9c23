/** One prerequisite checked: what, whether it holds, what was found, and how to fix it. */
export interface Check {
  readonly check: string;
  readonly ok: boolean;
  readonly found: string;
  readonly fix?: string;
}

export const check = (name: string, ok: boolean, found: string, fix?: string): Check => ({
  check: name,
  ok,
  found,
  ...(ok ? {} : { fix }),
});
