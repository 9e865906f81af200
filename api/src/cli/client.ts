/**
 * The CLI's side of the API: one GraphQL call over HTTP with an API key, its
 * failures turned into the CLI's exit codes. Node built-ins only, so the CLI
 * loads nothing of the server.
 */
import http from 'node:http';

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
  throw refusal(endpoint, res.status, body.error, 'that streams its history');
}

/** An HTTP endpoint's refusal as the CLI's error: who is not signed in or allowed, what is missing, else its message. */
function refusal(endpoint: string, status: number, error: string | undefined, serves: string): CliError {
  const message = error ?? `${endpoint} answered HTTP ${status}`;
  if (status === 401)
    return new CliError(`not signed in: ${message} (check ICP_API_KEY or --api-key)`, EXIT.UNREACHABLE);
  if (status === 403) return new CliError(`not allowed: ${message}`, EXIT.UNREACHABLE);
  if (status === 404 && !error)
    return new CliError(`${endpoint} answered 404: is ICP_URL an ICP Registry ${serves}?`, EXIT.UNREACHABLE);
  return new CliError(message, EXIT.FAILED);
}

/**
 * A POST whose body is streamed up while the answer streams back (node:http: the response is read as soon as it
 * starts, whatever is left to send); resolves with the response once it is a 2xx, else fails with its refusal.
 */
export async function postStream(
  cfg: Config,
  path: string,
  body: NodeJS.ReadableStream,
  headers: Record<string, string>,
): Promise<http.IncomingMessage> {
  if (!cfg.apiKey) throw noKey();
  const endpoint = `${cfg.url.replace(/\/+$/, '')}${path}`;
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(endpoint, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${cfg.apiKey}` },
    });
    req.on('response', resolve);
    req.on('error', (e) => reject(unreachable(cfg, { cause: e })));
    body.on('error', (e) => req.destroy(e));
    body.pipe(req);
  });
  if (res.statusCode! >= 200 && res.statusCode! < 300) return res;
  let text = '';
  for await (const chunk of res) text += String(chunk);
  let error: string | undefined;
  try {
    error = (JSON.parse(text) as { error?: string }).error;
  } catch {
    error = undefined;
  }
  throw refusal(endpoint, res.statusCode!, error, 'that scores as a stream');
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
