import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, type Config, EXIT } from './client';
import {
  diffCommand,
  exportCommand,
  exportSqlCommand,
  importCommand,
  type Io,
  publishCommand,
  scoreCommand,
  type Values,
} from './commands';
import { verifyHistoryCommand } from './verify-history';

/**
 * `icp`: ICPs as code, against a running ICP Registry with an API key.
 * Arguments are parsed with node:util parseArgs; each command has its help.
 */
type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const FOOTER = `
Connection:
  --url <url>         the ICP Registry (env ICP_URL, default http://127.0.0.1:4000, where npm start serves)
  --api-key <key>     an API key, icpk_… (env ICP_API_KEY); create one with the createApiKey mutation
  -h, --help          this help

Exit codes: 0 done; 1 the operation failed (problems in the file, not found, verification failed);
            2 usage error; 3 cannot reach the server, or the key is missing a role or invalid.`;

interface Command {
  summary: string;
  usage: string;
  details: string;
  options: Options;
  run: (cfg: Config, args: string[], o: Values, io: Io) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  export: {
    summary: 'write an ICP as an ICP file (YAML)',
    usage: 'icp export <slug> [--version <n>] [-o <file>] [--schema <url-or-path>] [--json]',
    details: `Writes the draft (or a published --version) as canonical YAML: export, import and export again
gives the same file, byte for byte. --schema adds a yaml-language-server comment pointing editors at
the JSON Schema (schema/icp.schema.json in the ICP Registry repository). --json writes the same
document as JSON. Needs a role that reads drafts.`,
    options: {
      version: { type: 'string' },
      output: { type: 'string', short: 'o' },
      schema: { type: 'string' },
      json: { type: 'boolean' },
    },
    run: exportCommand,
  },
  'export-sql': {
    summary: 'write a published version as a SQL view that scores accounts in a warehouse',
    usage:
      'icp export-sql <slug> --dialect postgres|duckdb|bigquery|snowflake|spark [--version <n>] [--table <name>] [--view <name>] [--key <column>] [-o <file>]',
    details: `Writes the latest published version (or --version) as one CREATE OR REPLACE VIEW over an
accounts table (--table, default accounts) with a key column (--key, default id) and one column per
attribute (NULL: missing): per account the tier, nearest tier, disqualification, score, dimension
scores, band, action and whether it is undetermined, as the engine scores. The header comment names
the ICP, version and snapshot hash. An expression SQL cannot compute faithfully is refused, with
where. Needs a role that reads published versions (client keys too).`,
    options: {
      dialect: { type: 'string' },
      version: { type: 'string' },
      table: { type: 'string' },
      view: { type: 'string' },
      key: { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
    run: exportSqlCommand,
  },
  import: {
    summary: 'make the draft what an ICP file says',
    usage: 'icp import <file|-> [--dry-run] [--diff] [-m <reason>] [--json]',
    details: `Compares the file with the draft of its ICP (by slug; created when new), records matched by name,
and writes the difference: each change a revision with your key and the reason. All or nothing: a
file with problems is refused with every problem as file:line:column and nothing changes.
--dry-run shows the changes without writing; --diff adds a unified diff of the draft (as exported)
against the file in canonical form. Publishing stays a separate step (icp publish).
--json prints { file, slug, dryRun, created, changes[, diff] } instead of the text.`,
    options: {
      'dry-run': { type: 'boolean' },
      diff: { type: 'boolean' },
      reason: { type: 'string', short: 'm' },
      json: { type: 'boolean' },
    },
    run: importCommand,
  },
  diff: {
    summary: 'compare two versions of an ICP',
    usage: 'icp diff <slug> <v1> <v2|draft> [--json]',
    details: `A unified diff of the two versions as ICP files. --json prints the server's JSON Patch instead.`,
    options: { json: { type: 'boolean' } },
    run: diffCommand,
  },
  publish: {
    summary: 'publish the draft as the next version',
    usage: 'icp publish <slug> -m <changelog> [--json]',
    details: `Freezes the draft as an immutable numbered version; refused when an example account fails.
--json prints { slug, version, changelog }.`,
    options: { message: { type: 'string', short: 'm' }, json: { type: 'boolean' } },
    run: publishCommand,
  },
  score: {
    summary: 'score the accounts of a CSV file and rank them',
    usage:
      'icp score <slug> <accounts.csv|-> [--version <n>] [-o <file>] [--batch-size <n> | --stream] [--progress] [--quiet] [--json]',
    details: `The header row names the columns: key (or id), name, and attribute names; values are read as the
attribute catalogue's types (lists separated by ; or |; booleans true/false/yes/no/1/0; an empty cell
is a missing attribute). Accounts are scored with fitScores in batches (default 500) against the
latest published version (or --version) and written ranked as CSV (stdout or -o): disqualified
last, then by score, then by tier. A progress bar goes to stderr when it is a terminal (--progress
forces it, --quiet hides it). --json writes the ranked list as a JSON array of the scores, each with
its rank, key, name and group, instead of CSV.
--stream: for a file of any size (constant memory): streamed through POST /v1/score/<slug> and written
back as it is scored, in the file's order (not ranked), a bad row as a line with its line number and
why, then a summary row; --json writes NDJSON. The progress line shows rows and rows/s; the summary
goes to stderr; exit 1 when a row was bad or the stream stopped.`,
    options: {
      json: { type: 'boolean' },
      version: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'batch-size': { type: 'string' },
      progress: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      stream: { type: 'boolean' },
    },
    run: scoreCommand,
  },
  'verify-history': {
    summary: 'verify the history here, from a kept checkpoint, with public keys',
    usage:
      'icp verify-history [--checkpoint <file.json>] [--public-key <key>[@<retired at>]]... [--system --database-url <url>] [--json]',
    details: `Verifies the hash chain of the key's workspace on this machine, not on the server: the chain is
streamed (GET /v1/history) and every revision's hash, link and Ed25519 signature is checked here.
  --checkpoint <file>   a checkpoint you kept (the console's download, a file of the server's
                        checkpoint directory, or the historyCheckpoint query's JSON): its signature is
                        checked, then that the chain still has its head at its index (nothing before it
                        rewritten, even with every hash recomputed), then only what came after it
  --public-key <key>    a public key you trust (base64url, as historyPublicKeys lists it); a retired
                        one as <key>@<retired at, ISO 8601>; repeat for each. Without it the server's
                        keys (historyPublicKeys) are used, and that is said on stderr
  --system              the system chain (sign-ins), which belongs to no workspace: read straight from
  --database-url <url>  PostgreSQL (postgres://…, read-only transaction), no API key needed
  --json                the result as JSON on stdout
  --progress, --quiet   force or hide the progress bar (stderr; shown on a terminal)
Exit code 1 names the first revision that does not hold and why: HASH (content), LINK (to the one
before), MISSING (removed or truncated), SIGNATURE, or CHECKPOINT (the kept checkpoint no longer holds).`,
    options: {
      checkpoint: { type: 'string' },
      'public-key': { type: 'string', multiple: true },
      system: { type: 'boolean' },
      'database-url': { type: 'string' },
      json: { type: 'boolean' },
      progress: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
    run: verifyHistoryCommand,
  },
};

const mainHelp = () =>
  `icp: ICPs as code, against a running ICP Registry.

Usage: icp <command> [arguments] [options]
       icp --version

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`)
  .join('\n')}

Run icp <command> --help for a command's arguments.
${FOOTER}
`;

const commandHelp = (name: string, c: Command) => `Usage: ${c.usage}\n\n${c.details}\n${FOOTER}\n`;

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = defaultIo(),
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') {
    io.stdout.write(`icp ${packageVersion()}\n`);
    return EXIT.OK;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    io.stdout.write(topic ? commandHelp(rest[0], topic) : mainHelp());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`icp: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT.USAGE;
  }
  try {
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...COMMON, ...command.options },
        allowPositionals: true,
        strict: true,
      }) as typeof parsed;
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.USAGE);
    }
    if (parsed.values.help) {
      io.stdout.write(commandHelp(name, command));
      return EXIT.OK;
    }
    const apiKey = (parsed.values['api-key'] as string | undefined) ?? env.ICP_API_KEY ?? '';
    const cfg: Config = {
      url: (parsed.values.url as string | undefined) ?? env.ICP_URL ?? 'http://127.0.0.1:4000',
      apiKey,
    };
    return await command.run(cfg, parsed.positionals, parsed.values, io);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    io.stderr.write(`icp ${name}: ${e.message}\n`);
    if (e.exitCode === EXIT.USAGE) io.stderr.write(`Usage: ${command.usage} (icp ${name} --help)\n`);
    return e.exitCode;
  }
}

/** The version in the package.json of the ICP Registry this command belongs to (found above this file). */
function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, readStdin: () => fs.readFileSync(0, 'utf8') };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`icp: unexpected error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = EXIT.FAILED;
    },
  );
}
