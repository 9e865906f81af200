import {
  buildSchema,
  type GraphQLNamedType,
  type GraphQLObjectType,
  isNonNullType,
  isLeafType,
  getNamedType,
  type GraphQLField,
} from 'graphql';
import fs from 'node:fs';
import { POLICY } from '../../api/src/auth/policy';
import { SCHEMA_FILE } from '../../api/src/graphql/schema';
import { TEST_ADMIN } from '../helpers/db';
import { addMember } from '../helpers/operations';
import { login, startTestServer, type TestServer } from '../helpers/server';

let t: TestServer;
const principals: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await startTestServer();
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  principals.ADMIN = bearer(t.token());
  for (const role of ['STRATEGY_OWNER', 'AUDITOR']) {
    principals[role] = (await addMember(t, `${role.toLowerCase()}@example.test`, role)).as;
  }
  const { createApiKey } = await t.ok(
    `mutation { createApiKey(input: { name: "crm", role: CLIENT }) { key apiKey { id prefix } } }`,
  );
  principals.CLIENT = bearer(createApiKey.key);
  principals.anonymous = { anonymous: 'true' };
});
afterAll(() => t.close());

const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));

/** A valid document for a root field: required arguments as variables (left unset), __typename or nothing as selection. */
function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((a) => isNonNullType(a.type));
  const vars = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type) as GraphQLNamedType) ? '' : ' { __typename }';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

const operations = (['query', 'mutation'] as const).flatMap((kind) => {
  const type = (kind === 'query' ? schema.getQueryType() : schema.getMutationType()) as GraphQLObjectType;
  return Object.values(type.getFields()).map((field) => ({ kind, field }));
});

describe('authorization matrix: every operation × every role and anonymous', () => {
  it('has a rule for every operation of the schema (a new operation without one fails here)', () => {
    const missing = operations.map((o) => o.field.name).filter((name) => !(name in POLICY));
    expect(missing).toEqual([]);
    const stale = Object.keys(POLICY).filter((name) => !operations.some((o) => o.field.name === name));
    expect(stale).toEqual([]);
  });

  it.each(['ADMIN', 'STRATEGY_OWNER', 'AUDITOR', 'CLIENT', 'anonymous'])(
    '%s is allowed exactly what the policy says',
    async (who) => {
      const outcomes: string[] = [];
      for (const { kind, field } of operations) {
        const rule = POLICY[field.name];
        const allowed =
          rule === 'public' ||
          (who !== 'anonymous' && (rule === 'signedIn' || (Array.isArray(rule) && rule.includes(who as never))));
        const res = await t.gql(documentFor(kind, field), {}, principals[who]);
        const code = res.errors?.[0]?.extensions?.code;
        const refused = code === 'FORBIDDEN' || code === 'UNAUTHENTICATED';
        if (refused === allowed)
          outcomes.push(
            `${field.name}: expected ${allowed ? 'allowed' : 'refused'}, got ${code ?? 'ok'} (${res.errors?.[0]?.message})`,
          );
        if (!allowed) expect(code).toBe(who === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      }
      expect(outcomes).toEqual([]);
    },
    60_000,
  );

  it('keeps clients to scores and published versions: a draft field under a score is refused alone', async () => {
    const res = await t.gql(
      `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { tier { name } personas { name tier { name } draft { name } } } }`,
      { a: { attributes: { employees: 300, currentTools: ['excel'] } } },
      principals.CLIENT,
    );
    // The published persona's tier is published data; the draft record is not: null there, an error on its path.
    expect(res.data.fitScore.tier.name).toBe('Primary ICP: Mid-Market');
    const personas = res.data.fitScore.personas as { name: string; draft: unknown }[];
    expect(personas.length).toBeGreaterThan(0);
    expect(personas.every((p) => p.draft === null && p.name)).toBe(true);
    expect(res.errors).toHaveLength(personas.length);
    expect(res.errors![0]).toMatchObject({
      message: 'Your role CLIENT may not read "PublishedPersona.draft": it needs ADMIN, STRATEGY_OWNER or AUDITOR',
      path: ['fitScore', 'personas', 0, 'draft'],
      extensions: { code: 'FORBIDDEN' },
    });
    const ok = await t.gql(
      `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { tier { name } personas { name } } icpVersions(icp: "itsm") { version } }`,
      { a: { attributes: { employees: 300, currentTools: ['excel'] } } },
      principals.CLIENT,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data.fitScore.tier.name).toBe('Primary ICP: Mid-Market');
  });
});

describe('sessions, keys and their audit trail', () => {
  it('refuses a wrong password, records every attempt, and limits attempts per account', async () => {
    const bad = await t.gql(
      `mutation { login(email: "auditor@example.test", password: "wrong password!") { token } }`,
      {},
      { anonymous: 'true' },
    );
    expect(bad.errors?.[0]).toMatchObject({
      message: 'Wrong email or password',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const [{ n }] = await t.sql(
      `SELECT count(*)::int AS n FROM revision WHERE entity_type = 'SignIn' AND after->>'email' = 'auditor@example.test' AND (after->>'succeeded')::boolean = false`,
    );
    expect(n).toBe(1);
    for (let i = 0; i < 4; i++)
      await t.gql(
        `mutation { login(email: "auditor@example.test", password: "wrong password!") { token } }`,
        {},
        { anonymous: 'true' },
      );
    const limited = await t.gql(
      `mutation { login(email: "auditor@example.test", password: "a long enough password") { token } }`,
      {},
      { anonymous: 'true' },
    );
    expect(limited.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
  });

  it('stores a key only as a hash, shows it once, records its last use, and revokes it at once', async () => {
    const { createApiKey } = await t.ok(
      `mutation { createApiKey(input: { name: "router", role: CLIENT }, reason: "lead router") { key apiKey { id revision prefix } } }`,
    );
    const { key, apiKey } = createApiKey;
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const stored = JSON.stringify(await t.sql('SELECT * FROM api_key WHERE id = $1', [apiKey.id]));
    expect(stored).not.toContain(key);
    const history = JSON.stringify(await t.sql('SELECT before, after FROM revision WHERE entity_id = $1', [apiKey.id]));
    expect(history).not.toContain('keyHash');
    const as = { authorization: `Bearer ${key}` };
    expect((await t.gql(`{ me { kind role label workspaceSlug } }`, {}, as)).data.me).toEqual({
      kind: 'apiKey',
      role: 'CLIENT',
      label: 'key:router',
      workspaceSlug: 'demo',
    });
    await t.server.cache.flushKeyUses();
    const [{ last_used_at }] = await t.sql('SELECT last_used_at FROM api_key WHERE id = $1', [apiKey.id]);
    expect(last_used_at).not.toBeNull();

    await t.ok(`mutation($id: ID!, $r: Int!) { revokeApiKey(id: $id, expectedRevision: $r) { revokedAt } }`, {
      id: apiKey.id,
      r: apiKey.revision,
    });
    const refused = await t.gql(`{ me { kind } }`, {}, as);
    expect(refused.errors?.[0]).toMatchObject({
      message: 'Unknown or revoked API key',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const events = await t.ok(`query($id: ID!) { history(filter: { entityId: $id }) { action reason after } }`, {
      id: apiKey.id,
    });
    expect(events.history.map((e: { reason: string }) => e.reason)).toEqual(['revoked', 'lead router']);
  });

  it('records role changes in the same history as data changes', async () => {
    const { memberships } = await t.ok(`{ memberships { id revision role user { email } } }`);
    const auditor = memberships.find((m: { user: { email: string } }) => m.user.email === 'auditor@example.test');
    await t.ok(
      `mutation($id: ID!, $r: Int!) { updateMembership(id: $id, expectedRevision: $r, input: { role: STRATEGY_OWNER }, reason: "promoted") { role } }`,
      { id: auditor.id, r: auditor.revision },
    );
    const { history } = await t.ok(
      `query($id: ID!) { history(filter: { entityId: $id }) { action reason patch actorLabel } }`,
      { id: auditor.id },
    );
    expect(history[0]).toMatchObject({ action: 'UPDATE', reason: 'promoted', actorLabel: TEST_ADMIN.email });
    expect(history[0].patch).toEqual(
      expect.arrayContaining([{ op: 'replace', path: '/role', value: 'STRATEGY_OWNER' }]),
    );
  });

  it('scores with an API key without a single SQL query once warm', async () => {
    const q = `query($a: AccountInput!) { fitScore(icp: "driftsentry", account: $a) { score tier { name } } }`;
    await t.gql(q, { a: { attributes: { employees: 120 } } }, principals.CLIENT);
    const before = t.queries();
    for (let i = 0; i < 20; i++)
      expect((await t.gql(q, { a: { attributes: { employees: 100 + i } } }, principals.CLIENT)).errors).toBeUndefined();
    expect(t.queries() - before).toBe(0);
  });
});

describe('the workspaces a principal belongs to (me.workspaces)', () => {
  const ME = `{ me { workspaceSlug workspaces { slug name role } } }`;
  it('lists each of a user’s workspaces with its role, and only theirs, the same whichever the request acts in', async () => {
    await t.ok(`mutation { createWorkspace(input: { slug: "second", name: "Second workspace" }) { id } }`);
    const admin = await t.ok(ME, {}, principals.ADMIN);
    expect(admin.me.workspaces).toEqual([
      { slug: 'demo', name: expect.any(String), role: 'ADMIN' },
      { slug: 'second', name: 'Second workspace', role: 'ADMIN' },
    ]);
    // The one the request acts in is me.workspaceSlug; the list does not change with it (a cache keeps one entry each).
    const inSecond = await t.ok(ME, {}, { ...principals.ADMIN, 'x-workspace': 'second' });
    expect(inSecond.me.workspaceSlug).toBe('second');
    expect(inSecond.me.workspaces).toEqual(admin.me.workspaces);
    // A user never added to "second": it is not listed, and asking for it is refused.
    const other = (await addMember(t, 'one-workspace@example.test', 'AUDITOR')).as;
    const auditor = await t.ok(ME, {}, other);
    expect(auditor.me.workspaces).toEqual([{ slug: 'demo', name: expect.any(String), role: 'AUDITOR' }]);
    const refused = await t.gql(ME, {}, { ...other, 'x-workspace': 'second' });
    expect(refused.errors?.[0].extensions?.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);
    // An API key belongs to one workspace.
    const key = await t.ok(ME, {}, principals.CLIENT);
    expect(key.me.workspaces).toEqual([{ slug: 'demo', name: 'demo', role: 'CLIENT' }]);
  });
});

describe('users are global: a workspace manages memberships, never the account', () => {
  it("a user's role is the one of their membership in the workspace asked about", async () => {
    await t.ok(`mutation { createWorkspace(input: { slug: "roles", name: "Roles" }) { id } }`);
    await addMember(t, 'two-roles@example.test', 'AUDITOR');
    const { inviteUser } = await t.ok(
      `mutation { inviteUser(input: { email: "two-roles@example.test", role: STRATEGY_OWNER }) { token } }`,
      {},
      { 'x-workspace': 'roles' },
    );
    const as = {
      authorization: `Bearer ${await login(t.baseUrl, 'two-roles@example.test', 'a long enough password')}`,
    };
    await t.ok(`mutation($t: String!) { acceptInvitation(token: $t) { role } }`, { t: inviteUser.token }, as);
    const USERS = `{ appUsers(filter: { q: "two-roles" }) { email role } }`;
    expect((await t.ok(USERS)).appUsers).toEqual([{ email: 'two-roles@example.test', role: 'AUDITOR' }]);
    expect((await t.ok(USERS, {}, { 'x-workspace': 'roles' })).appUsers).toEqual([
      { email: 'two-roles@example.test', role: 'STRATEGY_OWNER' },
    ]);
    const { appUsers } = await t.ok(`{ appUsers { email role } }`);
    expect(appUsers.find((u: { email: string }) => u.email === 'admin@example.test').role).toBe('ADMIN');
  });

  it('removing a member ends their access here only; their account and other workspaces stay', async () => {
    await t.ok(`mutation { createWorkspace(input: { slug: "partner", name: "Partner" }) { id } }`);
    const shared = await addMember(t, 'shared@example.test', 'CLIENT');
    // Already an account: the invitation is accepted signed in.
    const { inviteUser } = await t.ok(
      `mutation { inviteUser(input: { email: "shared@example.test", role: AUDITOR }) { token } }`,
      {},
      { 'x-workspace': 'partner' },
    );
    await t.ok(`mutation($t: String!) { acceptInvitation(token: $t) { role } }`, { t: inviteUser.token }, shared.as);
    await t.ok(`mutation($id: ID!) { deleteMembership(id: $id, expectedRevision: 1) { id } }`, {
      id: shared.membershipId,
    });
    // A removed membership ends the user's sessions; signed in again, only the other workspace is theirs.
    expect((await t.gql(`{ me { role } }`, {}, shared.as)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const again = {
      authorization: `Bearer ${await login(t.baseUrl, 'shared@example.test', 'a long enough password')}`,
    };
    expect((await t.gql(`{ me { role } }`, {}, { ...again, 'x-workspace': 'demo' })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await t.ok(`{ me { role } }`, {}, { ...again, 'x-workspace': 'partner' })).me.role).toBe('AUDITOR');
  });
});

describe('sessions end when the password or the role changes', () => {
  const ME = '{ me { label role } }';
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token expiresIn } }`;

  it('changePassword ends the other sessions, returns a fresh one, and records a revision without the hash', async () => {
    const user = await addMember(t, 'changes@example.test', 'AUDITOR', {}, 'the first password');
    const other = bearer(await login(t.baseUrl, 'changes@example.test', 'the first password'));
    const mine = bearer(await login(t.baseUrl, 'changes@example.test', 'the first password'));
    const wrong = await t.gql(CHANGE, { c: 'not the password', n: 'the second password' }, mine);
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const { changePassword } = await t.ok(CHANGE, { c: 'the first password', n: 'the second password' }, mine);
    for (const ended of [other, mine])
      expect((await t.gql(ME, {}, ended)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.ok(ME, {}, bearer(changePassword.token))).me.label).toBe('changes@example.test');
    await expect(login(t.baseUrl, 'changes@example.test', 'the first password')).rejects.toThrow();
    await login(t.baseUrl, 'changes@example.test', 'the second password');
    const rows = await t.sql(
      `SELECT after::text AS after, reason FROM revision WHERE entity_type = 'AppUser' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`,
      [user.id],
    );
    expect(rows[0].after).not.toMatch(/scrypt|password/i);
  });

  it('a password set by any path (here SQL as the owner) ends the sessions', async () => {
    await addMember(t, 'reset@example.test', 'AUDITOR', {}, 'the first password');
    const session = bearer(await login(t.baseUrl, 'reset@example.test', 'the first password'));
    expect((await t.gql(ME, {}, session)).errors).toBeUndefined();
    await t.sql(`UPDATE app_user SET password_hash = password_hash || '' WHERE email = 'reset@example.test'`);
    await t.sql(`UPDATE app_user SET password_hash = 'scrypt$1$1$1$AA$AA' WHERE email = 'reset@example.test'`);
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.gql(ME, {}, session)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // The membership trigger runs inside the cascade of a user's deletion too, without getting in its way.
    await t.sql(`DELETE FROM app_user WHERE email = 'reset@example.test'`);
    expect(
      await t.sql(
        `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.email = 'reset@example.test'`,
      ),
    ).toEqual([]);
  });

  it('a role change or a removed membership ends the sessions', async () => {
    await addMember(t, 'demoted@example.test', 'STRATEGY_OWNER', {}, 'the first password');
    const session = bearer(await login(t.baseUrl, 'demoted@example.test', 'the first password'));
    expect((await t.ok(ME, {}, session)).me.role).toBe('STRATEGY_OWNER');
    const { memberships } = await t.ok(`{ memberships { id revision user { email } } }`);
    const m = memberships.find((x: { user: { email: string } }) => x.user.email === 'demoted@example.test');
    await t.ok(
      `mutation($id: ID!, $r: Int!) { updateMembership(id: $id, expectedRevision: $r, input: { role: AUDITOR }) { role } }`,
      { id: m.id, r: m.revision },
    );
    expect((await t.gql(ME, {}, session)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const again = bearer(await login(t.baseUrl, 'demoted@example.test', 'the first password'));
    expect((await t.ok(ME, {}, again)).me.role).toBe('AUDITOR');
    await t.ok(`mutation($id: ID!, $r: Int!) { deleteMembership(id: $id, expectedRevision: $r) { id } }`, {
      id: m.id,
      r: m.revision + 1,
    });
    expect((await t.gql(ME, {}, again)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
