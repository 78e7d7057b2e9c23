#!/usr/bin/env node
/**
 * fuji-etl: the data engineers' command line.
 *
 *   fuji-etl stack up|down|status
 *   fuji-etl sql "<query>" [--format table|json|csv] [--database <namespace>]
 *   fuji-etl tables [--format table|json] [--ddl trino|athena]
 *   fuji-etl run <connector> [--from YYYY-MM-DD --to YYYY-MM-DD]
 *   fuji-etl csv check|load|upload <file> --dataset <name> | csv replay [--dataset <name>]
 *   fuji-etl prereq postgres (--url <url> | --secret <id>) | prereq dynamodb <table>
 *   fuji-etl history <ns.table> | diff <ns.table> --from <ref> [--to <ref>] | restore <ns.table> --to <ref> [--apply]
 *   fuji-etl maintain [<ns.table>]
 *   fuji-etl freshness [--format table|json|csv]
 *   fuji-etl report [--out <dir>] [--from YYYY-MM-DD --to YYYY-MM-DD]
 *   fuji-etl docs | infra | demo
 *
 * Errors print one line and exit non-zero.
 */
import { parseArgs } from 'node:util';
import { describeError } from '#shared/errors/index.ts';
import { commands } from './commands.ts';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'table' },
      database: { type: 'string' },
      ddl: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      dataset: { type: 'string' },
      encoding: { type: 'string' },
      contract: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string' },
      secret: { type: 'string' },
      user: { type: 'string' },
      force: { type: 'boolean' },
      apply: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [name, ...rest] = positionals;
  const command = name === undefined || values.help ? undefined : commands[name];
  if (!command) {
    console.log(
      'usage: fuji-etl <command>\n' +
        Object.entries(commands)
          .map(([n, c]) => `  ${n.padEnd(7)} ${c.summary}`)
          .join('\n'),
    );
    return name === undefined || values.help ? 0 : 2;
  }
  return command.run(rest, values);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fuji-etl: ${describeError(err)}`);
    process.exit(1);
  },
);
