/**
 * Normalising the text Japanese sources write in numeric fields: full-width digits, signs and
 * spaces become ASCII (NFKC), and an empty string means "no value", never zero.
 */

/** NFKC plus trimming of ASCII and ideographic spaces. */
export function halfWidth(s: string): string {
  return s.normalize('NFKC').trim();
}

/**
 * A number written as text, or null for "". Throws with the offending text when it is not a
 * number, so the caller can name where it came from.
 */
export function numberFromText(s: string): number | null {
  const t = halfWidth(s);
  if (t === '') return null;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) throw new Error(`not a number: ${JSON.stringify(s)}`);
  return Number(t);
}

/** An integer written as text, or null for "". */
export function intFromText(s: string): number | null {
  const n = numberFromText(s);
  if (n !== null && !Number.isInteger(n)) throw new Error(`not an integer: ${JSON.stringify(s)}`);
  return n;
}

/** Text kept as the source wrote it, with "" (missing) as null. */
export function textOrNull(s: string): string | null {
  return s === '' ? null : s;
}
