import { Client } from 'pg';
import { createTestDatabase, TEST_ADMIN } from '../helpers/db';
import { gql, login, ok, type Server, sleep, startServer, stopServer, writeFigures } from './support';

// SIGTERM during a slow request: it finishes (200), new requests are refused,
// the pool is closed, and the process exits 0 well before the grace period.
// The slow request is a real one: an edit waiting for the workspace's history
// lock, which this test holds (as a concurrent writer would) and lets go after SIGTERM.
const GRACE_MS = 8000;
const HISTORY_LOCK = 7_341_001; // core/revision-writer.ts

let server: Server;
let dbUrl: string;

beforeAll(async () => {
  dbUrl = await createTestDatabase();
  server = await startServer(dbUrl, { SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'info' });
}, 120_000);

afterAll(async () => {
  await stopServer(server, 'SIGKILL');
});

it('SIGTERM lets a slow request finish, refuses new ones, closes the pool and exits 0 before the grace period', async () => {
  const token = await login(server.url, TEST_ADMIN);
  const [persona] = (await ok(server.url, '{ personas(limit: 1) { id revision } }', {}, token)).personas;
  const holder = new Client({ connectionString: dbUrl });
  await holder.connect();
  try {
    const [{ workspace_id: ws }] = (await holder.query('SELECT workspace_id FROM persona WHERE id = $1', [persona.id]))
      .rows;
    await holder.query('SELECT pg_advisory_lock($1, hashtext($2))', [HISTORY_LOCK, ws]);

    const slow = gql(
      server.url,
      `mutation($id: ID!, $r: Int!) { updatePersona(id: $id, expectedRevision: $r, input: { description: "written during shutdown" }) { revision description } }`,
      { id: persona.id, r: persona.revision },
      token,
    );
    // The edit is now waiting in the database for the lock.
    const waitingSince = Date.now();
    for (;;) {
      const { rows } = await holder.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'icp-api' AND wait_event_type = 'Lock' AND datname = current_database()`,
      );
      if (rows[0].n > 0) break;
      if (Date.now() - waitingSince > 10_000) throw new Error('the edit never waited for the lock');
      await sleep(20);
    }

    const signalled = Date.now();
    server.proc.child.kill('SIGTERM');
    await sleep(300);
    // A new request after SIGTERM is refused: no connection, or 503.
    const late = await gql(server.url, '{ personas(limit: 1) { id } }', {}, token);
    expect(late.network !== undefined || late.status === 503).toBe(true);
    expect(server.proc.child.exitCode).toBeNull();

    await sleep(700);
    await holder.query('SELECT pg_advisory_unlock($1, hashtext($2))', [HISTORY_LOCK, ws]);
    const done = await slow;
    expect(done.status).toBe(200);
    expect(done.errors).toBeUndefined();
    expect(done.data.updatePersona).toEqual({ revision: persona.revision + 1, description: 'written during shutdown' });

    const code = await server.proc.exited;
    const exitMs = Date.now() - signalled;
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(GRACE_MS);
    // The pool was closed by the process itself ("stopped" is logged after the pool and LISTEN connection are closed).
    expect(server.proc.output()).toContain('"msg":"stopped"');
    const { rows } = await holder.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'icp-api%' AND datname = current_database()`,
    );
    expect(rows[0].n).toBe(0);
    // And the write is stored, with its revision.
    const stored = await holder.query(
      `SELECT p.description, (SELECT count(*)::int FROM revision r WHERE r.entity_id = p.id AND r.revision = p.revision) AS revs FROM persona p WHERE p.id = $1`,
      [persona.id],
    );
    expect(stored.rows[0]).toEqual({ description: 'written during shutdown', revs: 1 });
    writeFigures('shutdown', {
      slowRequestMs: done.ms,
      sigtermToExitMs: exitMs,
      graceMs: GRACE_MS,
      lateRequest: late.network ?? `HTTP ${late.status}`,
    });
  } finally {
    await holder.end();
  }
}, 60_000);
