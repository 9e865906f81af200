import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';
import { ROOT } from '../helpers/process';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Real GraphQL clients nobody here wrote, with their defaults, against the
 * real server over HTTP; then the README's "Clients" setups, run as written.
 */

let t: TestServer;
let key: string;
beforeAll(async () => {
  t = await startTestServer();
  key = (await t.ok(`mutation { createApiKey(input: { name: "clients", role: CLIENT }) { key } }`)).createApiKey.key;
});
afterAll(() => t.close());

const VERSIONS = 'query Versions { icpVersions(icp: "itsm") { version } }';
const FIT = 'query Fit($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score tier { name } } }';
const ACCOUNT = { a: { key: 'acme', attributes: { employees: 90, isMsp: true } } };

/** What the server itself answers for the fit, to compare each client's result with. */
let expected: { fitScore: { score: number; tier: { name: string } | null } };
beforeAll(async () => {
  expected = await t.ok(FIT, ACCOUNT);
  expect(expected.fitScore.tier).not.toBeNull();
});

/** A fetch that records each request's method, so a test sees what the client really sent. */
function recordingFetch() {
  const methods: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    methods.push(init?.method ?? 'GET');
    return fetch(input, init);
  };
  return { methods, fetchFn };
}

describe('real clients with an API key', () => {
  it('urql with its defaults: queries go as GET, and work', async () => {
    const { methods, fetchFn } = recordingFetch();
    const client = new Client({
      url: `${t.baseUrl}/graphql`,
      exchanges: [fetchExchange],
      fetch: fetchFn,
      fetchOptions: { headers: { authorization: `Bearer ${key}` } },
    });
    const versions = await client.query(VERSIONS, {}).toPromise();
    expect(versions.error).toBeUndefined();
    expect(versions.data.icpVersions[0].version).toBe(1);
    const fit = await client.query(FIT, ACCOUNT).toPromise();
    expect(fit.error).toBeUndefined();
    expect(fit.data).toEqual(expected);
    expect(methods).toEqual(['GET', 'GET']);
  });

  it('graphql-request', async () => {
    // An ES module (its types are ESM-only): loaded as the server loads jose.
    const { GraphQLClient } = await import('graphql-request');
    const client = new GraphQLClient(`${t.baseUrl}/graphql`, { headers: { authorization: `Bearer ${key}` } });
    expect(await client.request(FIT, ACCOUNT)).toEqual(expected);
    await expect(client.request('{ icps { slug } }')).rejects.toThrow(/CLIENT|not allowed|FORBIDDEN/i);
  });

  it('Apollo Client over HTTP: a simple query and a fitScore', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${t.baseUrl}/graphql`, headers: { authorization: `Bearer ${key}` } }),
      cache: new InMemoryCache(),
    });
    const versions = await client.query({ query: gql(VERSIONS) });
    expect((versions.data as any).icpVersions[0]).toMatchObject({ version: 1 });
    const fit = await client.query({ query: gql(FIT), variables: ACCOUNT, fetchPolicy: 'no-cache' });
    // Apollo Client adds __typename to every selection.
    expect(fit.data).toMatchObject(expected);
  });

  it('a raw fetch, as curl sends it', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: FIT, variables: ACCOUNT }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await res.json()).toMatchObject({ data: expected });
  });
});

/** The fenced blocks of the README's "Clients" section, with the comment that names each. */
function readmeClients(): { name: string; lang: string; code: string }[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## Clients\n([\s\S]*?)^## /m.exec(readme)![1];
  return [...section.matchAll(/^```(js|sh)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({
    lang,
    code,
    name: /^(?:\/\/|#) (\S+)/.exec(code)![1],
  }));
}

describe("the README's client setups, run as written", () => {
  const blocks = readmeClients();

  it('shows Apollo Client, urql, graphql-request and curl', () => {
    expect(blocks.map((b) => b.name)).toEqual(['Apollo', 'urql', 'graphql-request', 'curl:']);
  });

  it.each(blocks.map((b) => [b.name, b] as const))('%s', async (_name, { lang, code }) => {
    const env = { ...process.env, ICP_URL: t.baseUrl, ICP_API_KEY: key };
    // Node resolves the imports of an --eval module from the working directory: the project's node_modules.
    const [cmd, args] = lang === 'js' ? ['node', ['--input-type=module', '-e', code]] : ['sh', ['-e', '-c', code]];
    const { stdout } = await promisify(execFile)(cmd, args, { cwd: ROOT, env, timeout: 30_000 });
    const lines = stdout.trim().split('\n');
    const first = JSON.parse(lines[0]);
    expect(first.data ?? first).toMatchObject(expected);
    if (lang === 'sh') expect(JSON.parse(lines[1]).data.icpVersion).toMatchObject({ version: 1 });
  });
});
