/**
 * Dataset contracts as data: a YAML or JSON file the data team writes (see
 * docs/contracts.md), validated by a schema that rejects unknown keys, with errors that name the
 * file and the line. Parsers are named (`date`, `text`, `{ integer: { units: [人] } }`,
 * `{ oneOf: routes }`), so a file never carries code.
 *
 * Why valibot and yaml: valibot validates with the same closed-schema idea as zod but its
 * functions tree-shake, so the upload function's bundle grows by a few KiB, not 50; eemeli's
 * yaml keeps every node's source range, which turns a schema issue's path into a line number.
 */
import * as v from 'valibot';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { TableModel } from '../model/table.ts';
import { FujiEtlError } from '../errors/index.ts';
import { defineContract, type Contract, type ContractDef } from './contract.ts';
import { ENCODINGS } from './decode.ts';
import { date, fiscalYear, isoCountry, number, oneOf, text, type CellParser } from './values.ts';

export class ContractFileError extends FujiEtlError {
  constructor(source: string, message: string) {
    super('CONTRACT_FILE', `${source}: ${message}`, { retryable: false, context: { source } });
  }
}

const strings = v.array(v.pipe(v.string(), v.minLength(1)));
const spellings = v.record(v.string(), strings);
const units = v.strictObject({ units: v.optional(strings) });

const ParseSpec = v.union([
  v.picklist(['date', 'text', 'fiscal_year', 'iso_country']),
  v.strictObject({ integer: units }),
  v.strictObject({ number: units }),
  v.strictObject({ oneOf: v.union([v.string(), spellings]) }),
]);
type ParseSpec = v.InferOutput<typeof ParseSpec>;

const Column = v.strictObject({
  headers: strings,
  parse: ParseSpec,
  required: v.optional(v.boolean()),
});

export const ContractFileSchema = v.strictObject({
  name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _')),
  doc: v.strictObject({ ja: v.string(), en: v.string() }),
  /** `namespace.table` of a declared table model. */
  table: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'namespace.table')),
  columns: v.record(v.string(), Column),
  constants: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))),
  unpivot: v.optional(
    v.strictObject({
      column: v.string(),
      value: v.string(),
      parse: ParseSpec,
      headers: spellings,
    }),
  ),
  ignore: v.optional(strings),
  skip: v.optional(
    v.strictObject({ notePrefixes: v.optional(strings), totalLabels: v.optional(strings) }),
  ),
  encoding: v.optional(v.picklist(ENCODINGS)),
  licence: v.optional(v.string()),
  load: v.picklist(['merge', 'replace-source']),
  headerSearchRows: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  unknownColumns: v.optional(v.picklist(['report', 'fail'])),
  sheet: v.optional(v.string()),
});
export type ContractFile = v.InferOutput<typeof ContractFileSchema>;

export interface ContractFileDeps {
  /** Table models by `namespace.table`. */
  readonly tables: ReadonlyMap<string, TableModel>;
  /** Named code lists a file may use in `oneOf` (e.g. `routes`). */
  readonly vocabularies: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

function parserOf(spec: ParseSpec, deps: ContractFileDeps, where: string): CellParser {
  if (spec === 'date') return date();
  if (spec === 'text') return text();
  if (spec === 'fiscal_year') return fiscalYear();
  if (spec === 'iso_country') return isoCountry();
  if ('integer' in spec) return number({ units: spec.integer.units, integer: true });
  if ('number' in spec) return number({ units: spec.number.units });
  const list = typeof spec.oneOf === 'string' ? deps.vocabularies[spec.oneOf] : spec.oneOf;
  if (!list) {
    throw new Error(
      `${where}: unknown vocabulary ${JSON.stringify(spec.oneOf)} (known: ${Object.keys(deps.vocabularies).join(', ')})`,
    );
  }
  return oneOf(list);
}

/** The file checked against the schema, errors naming the line. */
export function validateContractFile(
  data: unknown,
  source: string,
  lineOf: (path: readonly (string | number)[]) => number | undefined = () => undefined,
): ContractFile {
  const r = v.safeParse(ContractFileSchema, data);
  if (!r.success) {
    const issue = r.issues[0];
    const path = (issue.path ?? []).map((p) => p.key as string | number);
    const line = lineOf(path);
    const at = path.length ? path.join('.') : '(top)';
    // A strict object's extra key reads "Expected never": say what it means.
    const message = issue.message.startsWith('Invalid key')
      ? 'unknown key (a typo, or a setting this version does not have)'
      : issue.message;
    throw new ContractFileError(
      source,
      `${line ? `line ${line}: ` : ''}${at}: ${message}${r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : ''}`,
    );
  }
  return r.output;
}

/** A validated contract file as a contract; model errors name the file. */
export function contractFromData(
  data: unknown,
  source: string,
  deps: ContractFileDeps,
  lineOf: (path: readonly (string | number)[]) => number | undefined = () => undefined,
): Contract {
  const f = validateContractFile(data, source, lineOf);
  const table = deps.tables.get(f.table);
  if (!table)
    throw new ContractFileError(
      source,
      `line ${lineOf(['table']) ?? '?'}: table: no table ${f.table}`,
    );
  try {
    const { unpivot, ...rest } = f;
    const def: ContractDef = {
      ...rest,
      table,
      columns: Object.fromEntries(
        Object.entries(f.columns).map(([name, c]) => [
          name,
          { ...c, parse: parserOf(c.parse, deps, `columns.${name}.parse`) },
        ]),
      ),
      ...(unpivot && {
        unpivot: { ...unpivot, parse: parserOf(unpivot.parse, deps, 'unpivot.parse') },
      }),
    };
    return defineContract(def);
  } catch (err) {
    if (err instanceof ContractFileError) throw err;
    throw new ContractFileError(source, (err as Error).message);
  }
}

/** A contract from YAML or JSON text (JSON is YAML), errors naming the line. */
export function parseContractFile(text: string, source: string, deps: ContractFileDeps): Contract {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ContractFileError(
      source,
      `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`,
    );
  }
  const lineOf = (path: readonly (string | number)[]) => {
    let node: unknown = doc.contents;
    let last = node;
    for (const key of path) {
      if (isMap(node)) node = node.get(key, true);
      else if (isSeq(node)) node = node.get(Number(key), true);
      else break;
      if (node) last = node;
    }
    const range = (last as Node | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  return contractFromData(doc.toJS(), source, deps, lineOf);
}
