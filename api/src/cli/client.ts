/**
 * The CLI's side of the API: one GraphQL call over HTTP with an API key, its
 * failures turned into the CLI's exit codes. Node built-ins only, so the CLI
 * loads nothing of the server.
 */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, UNREACHABLE: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export interface Config {
  url: string;
  apiKey: string;
}

interface Problem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** A server error as lines a person reads: each problem with its place in the file. */
export function describeError(error: { message: string; extensions?: Record<string, unknown> }, file?: string): string {
  const problems = error.extensions?.problems as Problem[] | undefined;
  if (!problems?.length) return error.message;
  const where = (p: Problem) => (p.line ? `${file ?? '(file)'}:${p.line}:${p.column}: ` : '');
  return [
    `${problems.length} problem${problems.length === 1 ? '' : 's'}:`,
    ...problems.map((p) => `  ${where(p)}${p.path}: ${p.message}`),
  ].join('\n');
}

const noKey = () =>
  new CliError(
    'no API key: set ICP_API_KEY or pass --api-key (an admin creates one with the createApiKey mutation)',
    EXIT.USAGE,
  );

const unreachable = (cfg: Config, e: unknown) => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return new CliError(
    `cannot reach the ICP Registry at ${cfg.url} (${cause?.code ?? cause?.message ?? (e as Error).message}); is it running? (set ICP_URL or --url)`,
    EXIT.UNREACHABLE,
  );
};

/** A GET of one of the server's HTTP endpoints with the API key; its body read by the caller, as it arrives. */
export async function getStream(cfg: Config, path: string): Promise<ReadableStream<Uint8Array>> {
  if (!cfg.apiKey) throw noKey();
  const endpoint = `${cfg.url.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await fetch(endpoint, { headers: { authorization: `Bearer ${cfg.apiKey}` } });
  } catch (e) {
    throw unreachable(cfg, e);
  }
  if (res.ok && res.body) return res.body;
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  const message = body.error ?? `${endpoint} answered HTTP ${res.status}`;
  if (res.status === 401)
    throw new CliError(`not signed in: ${message} (check ICP_API_KEY or --api-key)`, EXIT.UNREACHABLE);
  if (res.status === 403) throw new CliError(`not allowed: ${message}`, EXIT.UNREACHABLE);
  if (res.status === 404)
    throw new CliError(
      `${endpoint} answered 404: is ICP_URL an ICP Registry that streams its history?`,
      EXIT.UNREACHABLE,
    );
  throw new CliError(message, EXIT.FAILED);
}

export async function gql<T = any>(
  cfg: Config,
  query: string,
  variables: Record<string, unknown> = {},
  file?: string,
): Promise<T> {
  // Checked here rather than at start, so a command's own usage errors come first.
  if (!cfg.apiKey) throw noKey();
  const endpoint = `${cfg.url.replace(/\/+$/, '')}/graphql`;
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw unreachable(cfg, e);
  }
  let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new CliError(
      `${endpoint} answered HTTP ${res.status} with something other than GraphQL; is ICP_URL the ICP Registry?`,
      EXIT.UNREACHABLE,
    );
  }
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED')
      throw new CliError(`not signed in: ${error.message} (check ICP_API_KEY or --api-key)`, EXIT.UNREACHABLE);
    if (code === 'FORBIDDEN') throw new CliError(`not allowed: ${error.message}`, EXIT.UNREACHABLE);
    throw new CliError(describeError(error, file), EXIT.FAILED);
  }
  return body.data as T;
}
