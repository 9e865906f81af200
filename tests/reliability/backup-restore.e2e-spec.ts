import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Cluster, INSTALL_HINT, systemPostgresBin, tempCluster } from './system-postgres';
import {
  editAndPublish,
  login,
  ok,
  type Server,
  sql,
  startServer,
  stopServer,
  verifyHistory,
  writeFigures,
} from './support';

// The README's backup and restore, done: a database with history is dumped
// (pg_dump -Fc, while the server runs), restored into a new cluster, and the
// server started on the copy; the history still verifies and the data is equal.
const bin = systemPostgresBin();
if (!bin) {
  const message = `tests/reliability/backup-restore needs PostgreSQL's initdb, pg_ctl, pg_dump and pg_restore. Install them: ${INSTALL_HINT}`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n\n*** SKIPPED: ${message} ***\n\n`);
}
const maybe = bin ? it : it.skip;

let source: Cluster | undefined;
let target: Cluster | undefined;
let server: Server | undefined;
const dumpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-dump-'));

afterAll(async () => {
  await stopServer(server);
  source?.destroy();
  target?.destroy();
  fs.rmSync(dumpDir, { recursive: true, force: true });
});

/** What must survive: every revision (with its hash), every record's state, the published versions. */
async function fingerprint(url: string) {
  const [history] = await sql(
    url,
    `SELECT count(*)::int AS n, md5(string_agg(hash, ',' ORDER BY workspace_id, chain_index)) AS hashes FROM revision`,
  );
  const [records] = await sql(url, `SELECT md5(string_agg(x::text, ',' ORDER BY x.id)) AS personas FROM persona x`);
  const [versions] = await sql(url, `SELECT count(*)::int AS n FROM icp_version`);
  return { history, records, versions };
}

maybe(
  'a pg_dump of a database with history restores into a new cluster where the history still verifies and the data is equal',
  async () => {
    source = await tempCluster(bin!);
    source.run('createdb', ['-h', '127.0.0.1', '-p', String(source.port), '-U', 'postgres', 'icp']);
    server = await startServer(source.url('icp'));
    const token = await login(server.url);
    // History beyond the demo data: edits and a publish.
    const personas: { id: string; revision: number }[] = (
      await ok(server.url, '{ personas(limit: 5) { id revision } }', {}, token)
    ).personas;
    for (const p of personas) {
      await ok(
        server.url,
        `mutation($id: ID!, $r: Int!) { updatePersona(id: $id, expectedRevision: $r, input: { quote: "Before the backup" }, reason: "backup test") { id } }`,
        { id: p.id, r: p.revision },
        token,
      );
    }
    await editAndPublish(server.url, token, 'itsm', 'Backed up', 'before the backup');
    const before = await verifyHistory(server.url, token);
    expect(before.valid).toBe(true);
    const expected = await fingerprint(source.url('icp'));

    // The documented commands: a custom-format dump by a superuser (row-level security would hide rows from others) …
    const file = path.join(dumpDir, 'icp.dump');
    fs.chmodSync(dumpDir, 0o777);
    const started = Date.now();
    source.run('pg_dump', ['-Fc', '-d', source.url('icp'), '-f', file]);
    const dumpMs = Date.now() - started;
    await stopServer(server);
    server = undefined;

    // … restored into a new cluster: the application role first, then the database.
    target = await tempCluster(bin!);
    target.run('psql', ['-v', 'ON_ERROR_STOP=1', '-d', target.url('postgres'), '-c', 'CREATE ROLE icp_app NOLOGIN']);
    target.run('createdb', ['-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres', 'icp']);
    const restoreStarted = Date.now();
    target.run('pg_restore', ['--exit-on-error', '-d', target.url('icp'), file]);
    const restoreMs = Date.now() - restoreStarted;

    expect(await fingerprint(target.url('icp'))).toEqual(expected);
    server = await startServer(target.url('icp'));
    const restoredToken = await login(server.url);
    const after = await verifyHistory(server.url, restoredToken);
    expect(after).toEqual({ valid: true, checked: before.checked, problem: null });
    // The restored server serves the published version and takes new writes on the same chain.
    const version = (await ok(server.url, `{ icpVersions(icp: "itsm") { version } }`, {}, restoredToken)).icpVersions
      .length;
    expect(version).toBe(2);
    await ok(
      server.url,
      `mutation($id: ID!, $r: Int!) { updatePersona(id: $id, expectedRevision: $r, input: { quote: "After the restore" }) { id } }`,
      { id: personas[0].id, r: personas[0].revision + 1 },
      restoredToken,
    );
    expect(await verifyHistory(server.url, restoredToken)).toMatchObject({ valid: true, checked: before.checked + 1 });

    writeFigures('backup-restore', {
      postgres: path.basename(path.dirname(bin!)),
      revisions: before.checked,
      dumpBytes: fs.statSync(file).size,
      dumpMs,
      restoreMs,
    });
  },
  180_000,
);
