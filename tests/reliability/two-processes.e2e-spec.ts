import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import {
  editAndPublish,
  gql,
  halfWritten,
  login,
  ok,
  type Server,
  sleep,
  sql,
  startServer,
  stopServer,
  verifyHistory,
  writeFigures,
} from './support';

// Two API processes on one database, as behind a load balancer: what one
// changes the other sees (published versions, sessions, revoked keys), and
// killing one in the middle of a batch of writes loses nothing.
let a: Server;
let b: Server;
let dbUrl: string;
let token: string;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  a = await startServer(dbUrl);
  b = await startServer(dbUrl);
  token = await login(a.url, TEST_ADMIN);
}, 120_000);

afterAll(async () => {
  await Promise.all([stopServer(a, 'SIGKILL'), stopServer(b)]);
});

/** Polls `probe` on a process until it holds; returns how long that took. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > ms) throw new Error(`not seen within ${ms} ms`);
    await sleep(10);
  }
  return Date.now() - started;
}

const SCORE = `query($a: AccountInput!) { fitScore(icp: "ml-inference", account: $a) { icpVersion } }`;
const ACCOUNT = { key: 'acme', attributes: { annualRevenueUsd: 2.5e9, mlMaturity: 'dedicated' } };
const figures: Record<string, unknown> = {};

it('a session made on A works on B', async () => {
  expect((await ok(b.url, '{ me { label role } }', {}, token)).me).toEqual({ label: TEST_ADMIN.email, role: 'ADMIN' });
});

it('a version published on A is what B scores and lists, within a second', async () => {
  const before = (await ok(b.url, SCORE, { a: ACCOUNT }, token)).fitScore.icpVersion;
  await ok(b.url, `{ icpVersions(icp: "ml-inference") { version } }`, {}, token);
  await editAndPublish(a.url, token, 'ml-inference', 'Revised by process A', 'from A');
  const lag = await within(
    1000,
    async () => (await ok(b.url, SCORE, { a: ACCOUNT }, token)).fitScore.icpVersion === before + 1,
  );
  const versions = (await ok(b.url, `{ icpVersions(icp: "ml-inference") { version } }`, {}, token)).icpVersions.map(
    (v: { version: number }) => v.version,
  );
  expect(versions).toContain(before + 1);
  figures.publishSeenOnOtherMs = lag;
});

it('an API key revoked on A is refused by B within a second', async () => {
  const issued = (
    await ok(
      a.url,
      `mutation { createApiKey(input: { name: "router", role: CLIENT }) { key apiKey { id revision } } }`,
      {},
      token,
    )
  ).createApiKey;
  // B knows (and caches) the key.
  expect((await ok(b.url, SCORE, { a: ACCOUNT }, issued.key)).fitScore.icpVersion).toBeGreaterThan(0);
  await ok(
    a.url,
    `mutation($id: ID!, $r: Int!) { revokeApiKey(id: $id, expectedRevision: $r) { id } }`,
    { id: issued.apiKey.id, r: issued.apiKey.revision },
    token,
  );
  figures.revokeSeenOnOtherMs = await within(
    1000,
    async () =>
      (await gql(b.url, SCORE, { a: ACCOUNT }, issued.key)).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED',
  );
});

it('SIGKILL of A in the middle of a batch of writes loses no acknowledged write and leaves nothing half-written', async () => {
  const personas: { id: string; revision: number }[] = (
    await ok(b.url, '{ personas(limit: 6) { id revision } }', {}, token)
  ).personas;
  expect(personas).toHaveLength(6);
  const acked: { id: string; revision: number; description: string }[] = [];
  const unanswered: string[] = [];
  let running = true;
  let killed = false;
  const writer = async (server: Server, p: { id: string; revision: number }, n: number) => {
    let rev = p.revision;
    for (let i = 0; running && !(killed && server === a); i++) {
      const description = `${server === a ? 'A' : 'B'}${n} write ${i}`;
      const r = await gql(
        server.url,
        `mutation($id: ID!, $r: Int!, $d: String!) { updatePersona(id: $id, expectedRevision: $r, input: { description: $d }) { revision } }`,
        { id: p.id, r: rev, d: description },
        token,
      );
      if (r.network) unanswered.push(description);
      else if (r.errors) throw new Error(JSON.stringify(r.errors));
      else {
        rev = r.data.updatePersona.revision;
        acked.push({ id: p.id, revision: rev, description });
      }
    }
  };
  const writers = Promise.all(personas.map((p, n) => writer(n < 4 ? a : b, p, n)));
  await sleep(1500);
  killed = true;
  a.proc.child.kill('SIGKILL');
  await a.proc.exited;
  await sleep(500);
  running = false;
  await writers;

  // The four writers on A each had a request in flight when it died; B went on.
  expect(unanswered.length).toBeGreaterThanOrEqual(1);
  expect(acked.filter((w) => w.description.startsWith('B')).length).toBeGreaterThan(5);
  const rows = await sql(
    dbUrl,
    `SELECT entity_id AS id, revision, after->>'description' AS description FROM revision WHERE entity_type = 'Persona'`,
  );
  const stored = new Set(rows.map((r) => `${r.id}:${r.revision}:${r.description}`));
  const lost = acked.filter((w) => !stored.has(`${w.id}:${w.revision}:${w.description}`));
  expect(lost).toEqual([]);
  expect(await halfWritten(dbUrl, 'persona', 'description')).toEqual([]);
  // B sees A's last acknowledged writes.
  for (const p of personas.slice(0, 4)) {
    const last = acked.filter((w) => w.id === p.id).pop()!;
    const seen = (await ok(b.url, `query($id: ID!) { persona(id: $id) { revision } }`, { id: p.id }, token)).persona
      .revision;
    expect(seen).toBeGreaterThanOrEqual(last.revision);
  }
  expect(await verifyHistory(b.url, token)).toMatchObject({ valid: true, problem: null });
  Object.assign(figures, { killedMidRequest: unanswered.length, ackedWrites: acked.length, lostWrites: lost.length });
  writeFigures('two-processes', figures);
}, 60_000);
