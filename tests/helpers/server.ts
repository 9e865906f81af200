import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type Config, loadConfig } from '../../api/src/config';
import { createServer, type AppServer } from '../../api/src/server';
import type { Logger } from '../../api/src/logger';
import { openTestDatabase, sqlAt, TEST_ADMIN, testLog } from './db';
import { TEST_CHECKPOINT_DIR, TEST_HISTORY_KEY } from './process';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
export const TEST_SECRET = new TextEncoder().encode(SECRET);

/** A session token for a user, through the login mutation. */
export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await request(baseUrl)
    .post('/graphql')
    .set('content-type', 'application/json')
    .send({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: email, p: password },
    });
  if (!res.body.data) throw new Error(`login failed: ${JSON.stringify(res.body.errors)}`);
  return res.body.data.login.token;
}

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestServer {
  ds: DataSource;
  ownerUrl: string;
  /** The first admin's session token. */
  token(): string;
  /** Signs the first admin in again (a role change or a removed membership ends a user's sessions). */
  signInAgain(): Promise<void>;
  /** SQL as the database owner (row-level security does not apply), to inspect what was stored. */
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
  server: AppServer;
  baseUrl: string;
  /** POSTs a GraphQL operation; returns the parsed body (any HTTP status). */
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResult<T>>;
  /** Like gql but fails the test on any error, returning data. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
  /** Statements sent so far for the server's requests (not for its background work: the webhook worker's polls…). */
  queries(): number;
  close(): Promise<void>;
}

/** The real HTTP server on a random port, over its own database. */
export async function startTestServer(
  opts: { demo?: boolean; poolSize?: number; production?: boolean; config?: Partial<Config>; log?: Logger } = {},
): Promise<TestServer> {
  const { ds, ownerUrl } = await openTestDatabase(opts);
  const loaded = loadConfig({
    NODE_ENV: opts.production ? 'production' : 'test',
    AUTH_SECRET: SECRET,
    HISTORY_SIGNING_KEY: TEST_HISTORY_KEY,
  });
  const config = {
    ...loaded,
    // Each request's statements are counted apart from background work (t.queries()).
    countQueries: true,
    port: 0,
    checkpointDir: TEST_CHECKPOINT_DIR,
    ...opts.config,
  };
  const server = await createServer(config, ds, opts.log ?? testLog, TEST_SECRET);
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let token: string | undefined;
  // As the first admin unless the caller sends its own Authorization (or `anonymous: 'true'`).
  const gql = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const { anonymous, ...rest } = headers;
    const auth = anonymous || rest.authorization ? {} : { authorization: `Bearer ${token}` };
    const res = await request(baseUrl)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set({ ...auth, ...rest })
      .send({ query, variables });
    return res.body as GqlResult;
  };
  token = await login(baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
  return {
    ds,
    ownerUrl,
    token: () => token!,
    async signInAgain() {
      token = await login(baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    },
    sql: (query, params) => sqlAt(ownerUrl, query, params),
    server,
    baseUrl,
    gql,
    async ok(query, variables, headers) {
      const res = await gql(query, variables, headers);
      if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
      return res.data;
    },
    queries: () => server.requestQueries!.queries,
    async close() {
      await server.stop();
      await ds.destroy();
    },
  };
}

/** Another API process on the test server's database with its own environment (a key rotation), over HTTP as the first admin. */
export async function siblingServer(t: TestServer, env: Record<string, string>, config: Partial<Config> = {}) {
  const cfg = {
    ...loadConfig({ NODE_ENV: 'test', AUTH_SECRET: SECRET, ...env }),
    port: 0,
    checkpointDir: TEST_CHECKPOINT_DIR,
    ...config,
  };
  const server = await createServer(cfg, t.ds, testLog, TEST_SECRET);
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const gql = async (query: string, variables: object, headers: object) => {
    const res = await request(url)
      .post('/graphql')
      .set({ authorization: `Bearer ${t.token()}`, ...headers })
      .send({ query, variables });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  };
  return { server, url, gql };
}
