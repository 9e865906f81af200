import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { siblingServer, startTestServer, type TestServer } from '../helpers/server';
import { addMember, newIcp, newWorkspace } from '../helpers/operations';
import { TEST_HISTORY_KEY } from '../helpers/process';
import { signWebhook, webhookSignatureProblem } from '../../api/src/modules/webhook/signature';
import type { WebhookConfig } from '../../api/src/config';
import { headCheckpoint } from '../../api/src/core/history-rows';
import { DirectorySink } from '../../api/src/versioning/checkpoint-sink';
import { TEST_HISTORY_KEYS } from '../helpers/db';
import { TEST_CHECKPOINT_DIR } from '../helpers/process';
import { metrics } from '../../api/src/observability/metrics';

/**
 * Webhooks (issue 17, "Events on publish"): real deliveries to a real HTTP
 * receiver on 127.0.0.1 (allowed by WEBHOOK_ALLOW_HOSTS, as an operator
 * would allow an internal receiver), signed, retried, kept across a restart,
 * never sent for a rolled-back publish; and the SSRF refusals.
 */
// The names the SSRF guard's resolver knows here (any other goes to the system's): a test can re-point one.
const NAMES = new Map<string, string>();
const WEBHOOKS: WebhookConfig = {
  allowHosts: ['127.0.0.1', 'allowed.rebind.test'],
  resolve: async (host) => {
    const address = NAMES.get(host);
    return address ? [{ address, family: 4 }] : dns.promises.lookup(host, { all: true });
  },
  pollMs: 50,
  timeoutMs: 2000,
  maxAttempts: 5,
  retryBaseMs: 100,
};
const CONFIG = { webhooks: WEBHOOKS, checkpointEvery: { revisions: null, minutes: 60 } };

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A receiver that records every delivery and answers with the next of `answers` (200 once they run out), once
 * `gate` (when set) resolves.
 */
async function receiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const rx = { received, answers, gate: undefined as Promise<void> | undefined, answered: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      void Promise.resolve(rx.gate).then(() => {
        res.statusCode = answers.shift() ?? 200;
        res.end(res.statusCode === 200 ? 'thanks' : 'broken today', () => rx.answered++);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hooks/icp`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return Object.assign(rx, { url, port, close });
}

/** Waits until `check` gives a value (polling), failing with `what` after a few seconds. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { secret webhook { id revision secretPrefix events active } } }`;
const DELIVERIES = `query($f: WebhookDeliveryFilter) { webhookDeliveries(filter: $f) {
  id webhookId eventId event status attempts lastStatusCode lastLatencyMs lastError responseExcerpt deliveredAt redeliveryOf } }`;
const PUBLISH = `mutation($icp: String!, $c: String!) { publishIcp(icp: $icp, changelog: $c) { version } }`;

let t: TestServer;
let stopped = false;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestServer({ config: CONFIG });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  if (!stopped) await t.server.stop();
  await t.ds.destroy();
});

/** A workspace of its own with a receiver, a webhook for `events` and an ICP. */
async function setup(slug: string, events = ['ICP_PUBLISHED']) {
  const ws = await newWorkspace(t, slug);
  const rx = await receiver();
  closers.push(rx.close);
  const { createWebhook } = await t.ok(CREATE, { i: { name: `${slug} receiver`, url: rx.url, events } }, ws.headers);
  const icpId = await newIcp(t, ws.headers, `${slug}-icp`);
  let edits = 0;
  /** Changes the draft (a version is a change), then publishes it. */
  const publish = async (changelog: string) => {
    const { icp } = await t.ok(`query($id: ID!) { icp(id: $id) { revision } }`, { id: icpId }, ws.headers);
    await t.ok(
      `mutation($id: ID!, $rev: Int!, $name: String) { updateIcp(id: $id, expectedRevision: $rev, input: { name: $name }) { id } }`,
      { id: icpId, rev: icp.revision, name: `ICP ${slug} edit ${++edits}` },
      ws.headers,
    );
    return t.gql(PUBLISH, { icp: icpId, c: changelog }, ws.headers);
  };
  const deliveries = async (f: Record<string, unknown> = {}) =>
    (await t.ok(DELIVERIES, { f }, ws.headers)).webhookDeliveries as Record<string, any>[];
  return { ws, rx, hook: createWebhook.webhook, secret: createWebhook.secret as string, icpId, publish, deliveries };
}

const verify = (secret: string, r: Received, body = r.body) =>
  webhookSignatureProblem({
    secret,
    body,
    timestamp: r.headers['icp-webhook-timestamp'] as string,
    signature: r.headers['icp-webhook-signature'] as string,
  });

describe('webhooks', () => {
  it('delivers a publish to the receiver, signed with the secret shown once', async () => {
    const s = await setup('hook-deliver');
    expect(s.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(s.secret.startsWith(s.hook.secretPrefix)).toBe(true);
    expect((await s.publish('first version')).errors).toBeUndefined();

    const [r] = await until('the delivery', () => (s.rx.received.length ? s.rx.received : undefined));
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['icp-webhook-event']).toBe('icp.published');
    expect(verify(s.secret, r)).toBeNull();
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      id: r.headers['icp-webhook-id'],
      type: 'icp.published',
      workspaceId: s.ws.id,
      data: { icp: { id: s.icpId, slug: 'hook-deliver-icp' }, version: 1, changelog: 'first version' },
    });
    expect(body.data.snapshotHash).toMatch(/^[0-9a-f]{64}$/);

    const [d] = await until('the delivery to be logged', async () => {
      const ds = await s.deliveries({ webhookId: s.hook.id });
      return ds[0]?.status === 'DELIVERED' ? ds : undefined;
    });
    expect(d).toMatchObject({ eventId: body.id, event: 'ICP_PUBLISHED', attempts: 1, lastStatusCode: 200 });
    expect(d.lastError).toBeNull();
    expect(d.responseExcerpt).toBe('thanks');
    expect(d.lastLatencyMs).toBeGreaterThanOrEqual(0);
    // Counted for Prometheus by event and result.
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^icp_webhook_deliveries_total\{event="icp\.published",result="delivered"\} [1-9]/m);

    // The secret is never readable again: no field offers it, the table holds it sealed, the history not at all.
    const asked = await t.gql(`query($id: ID!) { webhook(id: $id) { secret } }`, { id: s.hook.id }, s.ws.headers);
    expect(asked.errors?.[0].message).toMatch(/Cannot query field "secret"/);
    const [row] = await t.sql(`SELECT secret_sealed FROM webhook WHERE id = $1`, [s.hook.id]);
    expect(row.secret_sealed).not.toContain(s.secret.slice(6));
    const history = await t.sql(`SELECT after::text AS a FROM revision WHERE entity_id = $1`, [s.hook.id]);
    expect(history).toHaveLength(1);
    expect(history[0].a).not.toContain(s.secret);
    expect(history[0].a).not.toMatch(/secret_?sealed/i);
  });

  it('a role that may not read webhooks does not read their URLs in the history either', async () => {
    const s = await setup('hook-history');
    const owner = await addMember(t, 'owner@hook-history.test', 'STRATEGY_OWNER', s.ws.headers);
    const HISTORY = `query($f: HistoryFilter) { history(filter: $f, limit: 500) { entityType after } historyCount(filter: $f) }`;
    const asAdmin = await t.ok(HISTORY, { f: { entityType: 'Webhook' } }, s.ws.headers);
    expect(asAdmin.history.map((r: { after: { url: string } }) => r.after.url)).toEqual([s.rx.url]);
    // The owner reads the ICP's history, not the webhook's: neither listed, nor counted, nor found by its id.
    const asOwner = await t.ok(HISTORY, { f: { entityType: 'Webhook' } }, owner.as);
    expect([asOwner.history, asOwner.historyCount]).toEqual([[], 0]);
    const all = await t.ok(HISTORY, {}, owner.as);
    expect(all.history.length).toBeGreaterThan(0);
    expect(JSON.stringify(all.history)).not.toContain(s.rx.url);
    const asOf = await t.gql(
      `query($id: ID!) { recordAsOf(id: $id, revision: 1) { after } }`,
      { id: s.hook.id },
      owner.as,
    );
    expect(asOf.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('the signature check refuses a tampered body, timestamp, secret or a stale delivery', async () => {
    const secret = 'whsec_test-secret';
    const body = JSON.stringify({ type: 'icp.published', data: { version: 3 } });
    const now = Math.floor(Date.now() / 1000);
    const r = {
      headers: { 'icp-webhook-timestamp': String(now), 'icp-webhook-signature': signWebhook(secret, now, body) },
      body,
    };
    expect(verify(secret, r)).toBeNull();
    expect(verify(secret, r, body.replace('3', '4'))).toBe('the signature does not match the body');
    expect(verify('whsec_another', r)).toBe('the signature does not match the body');
    const moved = { ...r, headers: { ...r.headers, 'icp-webhook-timestamp': String(now - 1) } };
    expect(verify(secret, moved)).toBe('the signature does not match the body');
    const old = now - 3600;
    const stale = {
      body,
      headers: { 'icp-webhook-timestamp': String(old), 'icp-webhook-signature': signWebhook(secret, old, body) },
    };
    expect(verify(secret, stale)).toMatch(/too old/);
    expect(verify(secret, { body, headers: {} })).toMatch(/timestamp header is missing/);
  });

  it('retries after a 500 with backoff, and the retry is delivered', async () => {
    const s = await setup('hook-retry');
    s.rx.answers.push(500);
    expect((await s.publish('retried')).errors).toBeUndefined();
    const [first, second] = await until('the retry', () => (s.rx.received.length >= 2 ? s.rx.received : undefined));
    expect(second.headers['icp-webhook-id']).toBe(first.headers['icp-webhook-id']);
    expect(second.body).toBe(first.body);
    expect(verify(s.secret, first)).toBeNull();
    expect(verify(s.secret, second)).toBeNull();
    const [d] = await until('the retry to be logged', async () => {
      const ds = await s.deliveries();
      return ds[0]?.status === 'DELIVERED' ? ds : undefined;
    });
    expect(d).toMatchObject({ attempts: 2, lastStatusCode: 200, lastError: null });
  });

  it('gives up after the last attempt, and redeliverWebhook sends the event again', async () => {
    const s = await setup('hook-redeliver');
    s.rx.answers.push(...Array(WEBHOOKS.maxAttempts).fill(503));
    await s.publish('refused five times');
    const [failed] = await until('the last attempt', async () => {
      const ds = await s.deliveries();
      return ds[0]?.status === 'FAILED' ? ds : undefined;
    });
    expect(failed).toMatchObject({ attempts: WEBHOOKS.maxAttempts, lastStatusCode: 503, lastError: 'answered 503' });
    expect(failed.responseExcerpt).toBe('broken today');
    expect(s.rx.received).toHaveLength(WEBHOOKS.maxAttempts);

    const { redeliverWebhook } = await t.ok(
      `mutation($d: ID!) { redeliverWebhook(delivery: $d) { id status redeliveryOf eventId } }`,
      { d: failed.id },
      s.ws.headers,
    );
    expect(redeliverWebhook).toMatchObject({ status: 'PENDING', redeliveryOf: failed.id, eventId: failed.eventId });
    await until('the redelivery', () => (s.rx.received.length > WEBHOOKS.maxAttempts ? true : undefined));
    expect(s.rx.received.at(-1)!.headers['icp-webhook-id']).toBe(failed.eventId);
    const again = await until('the redelivery to be logged', async () => {
      const ds = await s.deliveries({ eventId: failed.eventId });
      return ds.find((d) => d.id === redeliverWebhook.id && d.status === 'DELIVERED');
    });
    expect(again.attempts).toBe(1);
    const unknown = await t.gql(
      `mutation($d: ID!) { redeliverWebhook(delivery: $d) { id } }`,
      { d: '00000000-0000-4000-8000-000000000000' },
      s.ws.headers,
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('delivers nothing for a publish whose transaction rolls back after the outbox row was written', async () => {
    const s = await setup('hook-rollback');
    // Fails at COMMIT, after everything the publish wrote (its outbox row included), for one changelog only.
    await t.sql(`CREATE FUNCTION test_refuse_publish() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.changelog = 'rolled back' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$`);
    await t.sql(`CREATE CONSTRAINT TRIGGER test_refuse_publish AFTER INSERT ON icp_version
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_publish()`);
    try {
      const refused = await s.publish('rolled back');
      expect(refused.errors?.[0].message).toMatch(/could not be saved; nothing was written/);
      expect((await s.publish('kept')).errors).toBeUndefined();
      await until('the kept publish', () => (s.rx.received.length ? true : undefined));
      // The worker has had every chance to send the first one: the second came after it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(s.rx.received.map((r) => JSON.parse(r.body).data.changelog)).toEqual(['kept']);
      expect(await t.sql(`SELECT 1 FROM webhook_delivery WHERE body LIKE '%rolled back%'`)).toEqual([]);
    } finally {
      await t.sql(`DROP TRIGGER test_refuse_publish ON icp_version`);
      await t.sql(`DROP FUNCTION test_refuse_publish()`);
    }
  });

  it('sends icp.version_reverted and history.checkpoint to the webhooks subscribed to them', async () => {
    const s = await setup('hook-events', ['ICP_VERSION_REVERTED', 'HISTORY_CHECKPOINT']);
    await s.publish('v1');
    await s.publish('v2');
    await t.ok(
      `mutation($icp: String!) { revertIcpToVersion(icp: $icp, version: 1) { id } }`,
      { icp: s.icpId },
      s.ws.headers,
    );
    await t.server.checkpoints!.checkpointDirty();
    const bodies = await until('both events', () => {
      const got = s.rx.received.map((r) => JSON.parse(r.body));
      return got.length >= 2 ? got : undefined;
    });
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b]));
    expect(Object.keys(byType).sort()).toEqual(['history.checkpoint', 'icp.version_reverted']);
    expect(byType['icp.version_reverted'].data).toMatchObject({ icp: { id: s.icpId }, version: 1 });
    expect(byType['history.checkpoint'].data).toMatchObject({ workspace: s.ws.id });
    expect(byType['history.checkpoint'].data.chainIndex).toBeGreaterThan(0);
    expect(s.rx.received.every((r) => verify(s.secret, r) === null)).toBe(true);
  });

  it('refuses private, loopback and link-local targets unless allowed, and http in production', async () => {
    const { headers } = await newWorkspace(t, 'hook-ssrf');
    const refusal = async (url: string) => {
      const res = await t.gql(CREATE, { i: { name: 'x', url, events: ['ICP_PUBLISHED'] } }, headers);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const [problem] = res.errors![0].extensions!.problems;
      expect(problem.path).toBe('input.url');
      return problem.message as string;
    };
    expect(await refusal('http://10.0.0.1/hook')).toMatch(/10\.0\.0\.1 is a private \(RFC 1918\) address, refused/);
    expect(await refusal('http://169.254.169.254/latest/meta-data')).toMatch(/169\.254\.169\.254 is a link-local/);
    expect(await refusal('http://localhost:8080/')).toMatch(/localhost is a loopback name.*WEBHOOK_ALLOW_HOSTS/);
    expect(await refusal('http://[::1]/')).toMatch(/::1 is a loopback address/);
    expect(await refusal('http://[::ffff:127.0.0.1]/')).toMatch(/IPv4-mapped/);
    expect(await refusal('http://0.0.0.0/')).toMatch(/"this network"/);
    expect(await refusal('http://100.64.1.1/')).toMatch(/carrier-grade NAT/);
    expect(await refusal('http://[fd00::1]/')).toMatch(/unique local/);
    expect(await refusal('ftp://example.com/')).toMatch(/must be an http or https URL/);
    expect(await refusal('https://user:pw@example.com/')).toMatch(/must not contain a user name/);
    expect(await t.sql(`SELECT 1 FROM webhook WHERE name = 'x'`)).toEqual([]);

    // An update is checked too.
    const rx = await receiver();
    closers.push(rx.close);
    const { createWebhook } = await t.ok(
      CREATE,
      { i: { name: 'ok', url: rx.url, events: ['ICP_PUBLISHED'] } },
      headers,
    );
    const moved = await t.gql(
      `mutation($id: ID!) { updateWebhook(id: $id, expectedRevision: 1, input: { url: "http://192.168.1.10/" }) { id } }`,
      { id: createWebhook.webhook.id },
      headers,
    );
    expect(moved.errors?.[0].extensions?.problems[0]).toMatchObject({ path: 'input.url' });

    // In production only https, even to an allowed host.
    const prod = await siblingServer(t, {
      NODE_ENV: 'production',
      HISTORY_SIGNING_KEY: TEST_HISTORY_KEY,
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    });
    try {
      await expect(
        prod.gql(CREATE, { i: { name: 'p', url: rx.url, events: ['ICP_PUBLISHED'] } }, headers),
      ).rejects.toThrow(/must use https in production/);
    } finally {
      // Its delivery worker would refuse the other tests' http receivers.
      await prod.server.stop();
    }
  });

  it('checks the address again at delivery: a target turned private is refused, not contacted', async () => {
    const s = await setup('hook-rebind');
    // As if the name now resolved elsewhere: the stored target is private, and the worker must not connect.
    await t.sql(`UPDATE webhook SET url = 'http://10.255.255.1:9/' WHERE id = $1`, [s.hook.id]);
    await s.publish('to nowhere');
    const [d] = await until('the refused attempt', async () => {
      const ds = await s.deliveries();
      return ds[0]?.attempts ? ds : undefined;
    });
    expect(d.lastError).toMatch(/^target refused: 10\.255\.255\.1 is a private \(RFC 1918\) address/);
    expect(d.lastStatusCode).toBeNull();
    expect(s.rx.received).toEqual([]);
  });

  it('DNS rebinding: a name that resolved to a public address when saved and to 127.0.0.1 since is refused at connect', async () => {
    const s = await setup('hook-dns-rebind');
    NAMES.set('rebind.test', '203.0.113.10');
    const url = `http://rebind.test:${s.rx.port}/hooks/icp`;
    // Saved while the name points at a public address: the check at save passes.
    const saved = await t.gql(CREATE, { i: { name: 'rebound', url, events: ['ICP_PUBLISHED'] } }, s.ws.headers);
    expect(saved.errors).toBeUndefined();
    const rebound = saved.data.createWebhook.webhook.id as string;
    // Then the name is re-pointed at the loopback address the receiver listens on; WEBHOOK_ALLOW_HOSTS lists
    // 127.0.0.1 but not the name.
    NAMES.set('rebind.test', '127.0.0.1');
    // A name that WEBHOOK_ALLOW_HOSTS lists, pointed at the same receiver, shows the connection really is made
    // through the guard's resolver.
    NAMES.set('allowed.rebind.test', '127.0.0.1');
    const allowedUrl = `http://allowed.rebind.test:${s.rx.port}/hooks/icp`;
    const allowed = await t.ok(
      CREATE,
      { i: { name: 'allowed', url: allowedUrl, events: ['ICP_PUBLISHED'] } },
      s.ws.headers,
    );
    await t.sql(`UPDATE webhook SET active = false WHERE id = $1`, [s.hook.id]);
    await s.publish('rebound');

    const refused = await until('the refused attempt', async () => {
      const ds = await s.deliveries({ webhookId: rebound });
      return ds[0]?.attempts ? ds[0] : undefined;
    });
    expect(refused.lastError).toBe('rebind.test resolves to 127.0.0.1 is a loopback address, refused');
    expect(refused.lastStatusCode).toBeNull();
    const [delivered] = await until('the allowed delivery', async () => {
      const ds = await s.deliveries({ webhookId: allowed.createWebhook.webhook.id });
      return ds[0]?.status === 'DELIVERED' ? ds : undefined;
    });
    expect(delivered.lastStatusCode).toBe(200);
    // The receiver heard from the allowed name only.
    expect(s.rx.received.map((r) => r.headers.host)).toEqual([`allowed.rebind.test:${s.rx.port}`]);
  });

  it('records one history.checkpoint event per (workspace, chain index): reported twice at once, or again after a crash', async () => {
    const s = await setup('hook-checkpoint-once', ['HISTORY_CHECKPOINT']);
    await s.publish('v1');
    const head = () => headCheckpoint((sql, params) => t.sql(sql, params), TEST_HISTORY_KEYS, s.ws.id);
    const events = async () =>
      (await t.sql(`SELECT event_id, body FROM webhook_delivery WHERE webhook_id = $1`, [s.hook.id])).map((r) => ({
        id: r.event_id as string,
        chainIndex: JSON.parse(r.body).data.chainIndex as number,
      }));
    // Two processes keeping the same checkpoint (signed a moment apart) report it at the same time, then one retries.
    const first = await head();
    const again = { ...first, at: new Date(first.at.getTime() + 1) };
    await Promise.all([t.server.webhooks.checkpointWritten(first), t.server.webhooks.checkpointWritten(again)]);
    await t.server.webhooks.checkpointWritten(first);
    const once = await events();
    expect(once).toHaveLength(1);
    expect(once[0].chainIndex).toBe(first.chainIndex);

    // A crash after the checkpoint was kept and before its event was recorded: the next round finds it kept, and
    // records the event then.
    await s.publish('v2');
    const kept = await head();
    expect(kept.chainIndex).toBeGreaterThan(first.chainIndex);
    expect(await new DirectorySink(TEST_CHECKPOINT_DIR).put(kept)).toBe('written');
    await t.server.checkpoints!.checkpointDirty();
    const both = await events();
    expect(both.map((e) => e.chainIndex).sort((a, b) => a - b)).toEqual([first.chainIndex, kept.chainIndex]);
    await until('both deliveries', () => (s.rx.received.length >= 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.rx.received.map((r) => r.headers['icp-webhook-id']).sort()).toEqual(both.map((e) => e.id).sort());
  });

  it('records an attempt only under the lease it was made under: a worker whose lease lapsed overwrites nothing', async () => {
    const s = await setup('hook-lease');
    let release!: () => void;
    s.rx.gate = new Promise((resolve) => (release = resolve));
    await s.publish('slow receiver');
    await until('the first attempt to reach the receiver', () => (s.rx.received.length ? true : undefined));
    // While the receiver holds the answer, the worker's lease lapses and another worker claims the row.
    await t.sql(`BEGIN;
      UPDATE webhook_delivery SET locked_until = now() - interval '1 second', next_attempt_at = '2000-01-01'
       WHERE webhook_id = '${s.hook.id}';
      SELECT * FROM icp_webhook_claim(1, 600000);
      COMMIT`);
    const [claimed] = await t.sql(`SELECT locked_until FROM webhook_delivery WHERE webhook_id = $1`, [s.hook.id]);
    expect(claimed.locked_until.getTime()).toBeGreaterThan(Date.now() + 500_000);
    const delivered = async () =>
      (await metrics.webhookDeliveries.get()).values.find(
        (v) => v.labels.event === 'icp.published' && v.labels.result === 'delivered',
      )?.value ?? 0;
    const deliveredBefore = await delivered();
    release();
    await until('the answer to be sent', () => (s.rx.answered ? true : undefined));
    // Given time to record its attempt, the first worker must not have: the row is the other worker's.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [row] = await t.sql(
      `SELECT status, attempts, locked_until, last_status_code FROM webhook_delivery WHERE webhook_id = $1`,
      [s.hook.id],
    );
    expect(row).toMatchObject({ status: 'PENDING', attempts: 0, last_status_code: null });
    expect(row.locked_until).toEqual(claimed.locked_until);
    // Nor reported it as an outcome: no delivered attempt counted.
    expect(await delivered()).toBe(deliveredBefore);

    // Once that lease lapses too, a worker sends it again and records it.
    await t.sql(`UPDATE webhook_delivery SET locked_until = now() - interval '1 second' WHERE webhook_id = $1`, [
      s.hook.id,
    ]);
    const [d] = await until('the attempt under a new lease', async () => {
      const ds = await s.deliveries();
      return ds[0]?.status === 'DELIVERED' ? ds : undefined;
    });
    expect(d).toMatchObject({ attempts: 1, lastStatusCode: 200 });
    expect(s.rx.received).toHaveLength(2);
  });

  it('keeps a pending delivery across a restart: a new server on the same database sends it', async () => {
    const s = await setup('hook-restart');
    s.rx.answers.push(...Array(100).fill(500));
    await s.publish('survives');
    await until('a failed first attempt', async () => {
      const [row] = await t.sql(`SELECT attempts FROM webhook_delivery WHERE webhook_id = $1`, [s.hook.id]);
      return row?.attempts >= 1 ? true : undefined;
    });
    await t.server.stop();
    stopped = true;
    const [pending] = await t.sql(`SELECT status, event_id FROM webhook_delivery WHERE webhook_id = $1`, [s.hook.id]);
    expect(pending.status).toBe('PENDING');
    s.rx.answers.length = 0;

    const next = await siblingServer(t, { HISTORY_SIGNING_KEY: TEST_HISTORY_KEY }, CONFIG);
    closers.push(() => next.server.stop());
    const [row] = await until('the delivery by the new server', async () => {
      const rows = await t.sql(`SELECT status, attempts FROM webhook_delivery WHERE webhook_id = $1`, [s.hook.id]);
      return rows[0]?.status === 'DELIVERED' ? rows : undefined;
    });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    const last = s.rx.received.at(-1)!;
    expect(last.headers['icp-webhook-id']).toBe(pending.event_id);
    expect(verify(s.secret, last)).toBeNull();
  });
});
