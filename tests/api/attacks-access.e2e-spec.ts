import fs from 'node:fs';
import {
  buildSchema,
  getNamedType,
  type GraphQLObjectType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
} from 'graphql';
import { POLICY, unreadableTypes } from '../../api/src/auth/policy';
import type { Role } from '../../api/src/auth/roles';
import { SCHEMA_FILE } from '../../api/src/graphql/schema';
import { addMember } from '../helpers/operations';
import { login, startTestServer, type TestServer } from '../helpers/server';

// Attacks on the edges of access (issue 12, findings 1, 2 and 6): generic verbs, secrets, users across workspaces.
let t: TestServer;
const as: Record<string, Record<string, string>> = {};
let owner: { id: string; membershipId: string; as: Record<string, string> };

beforeAll(async () => {
  t = await startTestServer();
  as.ADMIN = { authorization: `Bearer ${t.token()}` };
  // The strategy owner was an ADMIN once (revision 1), then demoted (revision 2).
  owner = await addMember(t, 'owner@access.test', 'ADMIN');
  await t.ok(
    `mutation($id: ID!) { updateMembership(id: $id, expectedRevision: 1, input: { role: STRATEGY_OWNER }) { role } }`,
    { id: owner.membershipId },
  );
  // A role change ends the user's sessions: sign in again as the strategy owner.
  as.STRATEGY_OWNER = owner.as = {
    authorization: `Bearer ${await login(t.baseUrl, 'owner@access.test', 'a long enough password')}`,
  };
  as.AUDITOR = (await addMember(t, 'auditor@access.test', 'AUDITOR')).as;
  const { createApiKey } = await t.ok(`mutation { createApiKey(input: { name: "crm", role: CLIENT }) { key } }`);
  as.CLIENT = { authorization: `Bearer ${createApiKey.key}` };
}, 60_000);
afterAll(() => t.close());

const RESULT = '{ entityType id revision }';
const REVERT = `mutation($id: ID!, $to: Int!, $exp: Int!) { revertRecord(id: $id, toRevision: $to, expectedRevision: $exp) ${RESULT} }`;
const ROLES = ['ADMIN', 'STRATEGY_OWNER', 'AUDITOR', 'CLIENT'] as const;
const EDITORS = ['ADMIN', 'STRATEGY_OWNER'];
// Who may update each type, written out here (not read from the policy), so the test checks the policy.
const WRITERS: Record<string, string[]> = {
  AttributeDefinition: EDITORS,
  Icp: EDITORS,
  Tier: EDITORS,
  Persona: EDITORS,
  UseCasePattern: EDITORS,
  Disqualifier: EDITORS,
  TriggerEvent: EDITORS,
  ScoringDimension: EDITORS,
  ScoringRule: EDITORS,
  ActionBand: EDITORS,
  ExampleAccount: EDITORS,
  Workspace: ['ADMIN'],
  Membership: ['ADMIN'],
  ApiKey: ['ADMIN'],
  // Nobody changes these through a generic verb: a user's global record, published versions, sign-ins, invitations.
  AppUser: [],
  IcpVersion: [],
  SignIn: [],
  Invitation: [],
};

const myRole = async (headers: Record<string, string>) => (await t.ok(`{ me { role } }`, {}, headers)).me.role;

describe('generic verbs ask the policy of the record type (finding 1)', () => {
  it('a STRATEGY_OWNER cannot revert their own membership to the revision where they were ADMIN', async () => {
    const res = await t.gql(REVERT, { id: owner.membershipId, to: 1, exp: 2 }, as.STRATEGY_OWNER);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0].message).toMatch(/STRATEGY_OWNER may not revert Membership records/);
    expect(await myRole(as.STRATEGY_OWNER)).toBe('STRATEGY_OWNER');
  });

  it("a removed admin's deleted membership cannot be revived by a non-admin", async () => {
    const removed = await addMember(t, 'removed-admin@access.test', 'ADMIN');
    await t.ok(`mutation($id: ID!) { deleteMembership(id: $id, expectedRevision: 1) { id } }`, {
      id: removed.membershipId,
    });
    for (const role of ['STRATEGY_OWNER', 'AUDITOR', 'CLIENT']) {
      const res = await t.gql(REVERT, { id: removed.membershipId, to: 1, exp: 2 }, as[role]);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const [{ n }] = await t.sql('SELECT count(*)::int AS n FROM membership WHERE id = $1', [removed.membershipId]);
    expect(n).toBe(0);
  });

  it('every generic verb × every entity type × every role: allowed exactly when updating that type is', async () => {
    const problems: string[] = [];
    // One record of each type from the workspace's history; SignIn is chained in the system workspace.
    const { history } = await t.ok(`{ history(limit: 1000) { entityType entityId revision action } }`);
    const [signIn] = await t.sql(
      `SELECT entity_id AS "entityId", revision FROM revision WHERE entity_type = 'SignIn' LIMIT 1`,
    );
    const sample = new Map<string, { entityId: string; revision: number }>([['SignIn', signIn]]);
    for (const r of history) if (!sample.has(r.entityType) && r.action !== 'DELETE') sample.set(r.entityType, r);
    for (const type of new Set([...Object.keys(WRITERS), ...sample.keys()])) {
      if (!(type in WRITERS)) problems.push(`${type}: no expectation in this test`);
      const record = sample.get(type);
      if (!record) {
        problems.push(`${type}: no record in the history to try`);
        continue;
      }
      // Update rule of the specific verb, where there is one, matches the expectation.
      const rule = POLICY[`update${type}`];
      if (
        rule !== undefined &&
        JSON.stringify([...(rule as string[])].sort()) !== JSON.stringify([...WRITERS[type]].sort())
      )
        problems.push(`update${type}: policy says ${rule}`);
      // A stale expectedRevision: an allowed revert reaches the compare-and-swap (CONFLICT) and changes nothing.
      for (const verb of ['revert', 'restore'] as const) {
        for (const role of ROLES) {
          const res = await t.gql(
            REVERT,
            { id: record.entityId, to: record.revision, exp: verb === 'revert' ? 999 : -1 },
            as[role],
          );
          const code = res.errors?.[0].extensions?.code;
          const allowed = code === 'CONFLICT';
          // A type the role may not read (the system's sign-ins, invitations, webhooks) is not found at all.
          const unreadable = type === 'SignIn' || unreadableTypes(role as Role).includes(type);
          const refused = code === 'FORBIDDEN' || (unreadable && code === 'NOT_FOUND');
          const expected = WRITERS[type]?.includes(role) ?? false;
          if (expected ? !allowed : !refused)
            problems.push(
              `${verb} ${type} as ${role}: expected ${expected ? 'allowed' : 'refused'}, got ${code ?? 'ok'} (${res.errors?.[0].message})`,
            );
        }
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('the whole-ICP generic verbs (import, revert to a version) admit only roles that may write every ICP part', () => {
    const parts = Object.keys(WRITERS).filter((type) => WRITERS[type] === EDITORS);
    const everyPart = ROLES.filter((role) => parts.every((type) => WRITERS[type].includes(role)));
    for (const verb of ['importIcp', 'revertIcpToVersion'])
      expect([...(POLICY[verb] as string[])].sort()).toEqual([...everyPart].sort());
  });

  it('restoring a deleted record needs exactly what updating its type needs', async () => {
    const { createTier } = await t.ok(
      `mutation { createTier(input: { icpId: "${(await t.ok('{ icps(filter: { slug: "itsm" }) { id } }')).icps[0].id}", name: "Doomed", rank: 90 }) { id } }`,
    );
    await t.ok(`mutation($id: ID!) { deleteTier(id: $id, expectedRevision: 1) { id } }`, { id: createTier.id });
    expect((await t.gql(REVERT, { id: createTier.id, to: 1, exp: 2 }, as.AUDITOR)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const restored = await t.ok(REVERT, { id: createTier.id, to: 1, exp: 2 }, as.STRATEGY_OWNER);
    expect(restored.revertRecord).toEqual({ entityType: 'Tier', id: createTier.id, revision: 3 });
  });
});

describe('generic results are typed and secrets are never loaded (finding 2)', () => {
  const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  const fieldsUnder = (type: GraphQLNamedType, seen = new Set<string>()): string[] => {
    if (seen.has(type.name)) return [];
    seen.add(type.name);
    if (isUnionType(type)) return type.getTypes().flatMap((m) => fieldsUnder(m, seen));
    if (!isObjectType(type)) return [];
    return Object.values(type.getFields()).flatMap((f) => [
      `${type.name}.${f.name}`,
      ...fieldsUnder(getNamedType(f.type), seen),
    ]);
  };

  it('revertRecord returns an object type whose fields hold no hash', () => {
    const field = (schema.getMutationType() as GraphQLObjectType).getFields().revertRecord;
    const type = getNamedType(field.type);
    expect(isObjectType(type) || isUnionType(type)).toBe(true);
    expect(fieldsUnder(type).filter((f) => /hash/i.test(f))).toEqual([]);
  });

  it("revertRecord of an API key does not return the key's hash", async () => {
    const { keys } = await t.ok(`{ keys: apiKeys(filter: { q: "crm" }) { id revision } }`);
    const [{ key_hash }] = await t.sql('SELECT key_hash FROM api_key WHERE id = $1', [keys[0].id]);
    const res = await t.gql(
      `mutation($id: ID!, $r: Int!) { revertRecord(id: $id, toRevision: 1, expectedRevision: $r) ${RESULT} }`,
      { id: keys[0].id, r: keys[0].revision },
    );
    expect(res.errors).toBeUndefined();
    expect(JSON.stringify(res)).not.toContain(key_hash);
    expect(JSON.stringify(res)).not.toMatch(/keyHash|passwordHash/);
  });

  it('no query outside sign-in and key checks reads password_hash or key_hash', async () => {
    const seen: string[] = [];
    const logger = t.ds.logger as unknown as { logQuery: (q: string) => void };
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (q: string) => {
      seen.push(q);
      original(q);
    };
    try {
      await t.ok(`{ appUsers { id email } memberships { id role user { id email name } } apiKeys { id name prefix } }`);
      await t.ok(`{ history(limit: 200) { entityType after } me { label } }`);
      const { keys } = await t.ok(`{ keys: apiKeys(filter: { q: "crm" }) { id revision } }`);
      await t.ok(
        `mutation($id: ID!, $r: Int!) { revertRecord(id: $id, toRevision: 1, expectedRevision: $r) ${RESULT} }`,
        { id: keys[0].id, r: keys[0].revision },
      );
      const m = (await t.ok(`{ memberships { id revision user { email } } }`)).memberships.find(
        (x: { user: { email: string } }) => x.user.email === 'auditor@access.test',
      );
      await t.ok(
        `mutation($id: ID!, $r: Int!) { updateMembership(id: $id, expectedRevision: $r, input: { role: AUDITOR }) { id } }`,
        { id: m.id, r: m.revision },
      );
      await t.ok(`mutation($id: ID!, $r: Int!) { revokeApiKey(id: $id, expectedRevision: $r) { id } }`, {
        id: keys[0].id,
        r: keys[0].revision + 1,
      });
    } finally {
      logger.logQuery = original;
    }
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.filter((q) => /password_hash|key_hash/.test(q))).toEqual([]);
  });
});

describe('users across workspaces (finding 6)', () => {
  const INVITE = `mutation($i: CreateInvitationInput!) { inviteUser(input: $i) { token invitation { id email role status expiresAt createdAt } } }`;
  const ACCEPT = `mutation($token: String!, $password: String, $name: String) { acceptInvitation(token: $token, password: $password, name: $name) { workspaceSlug role } }`;
  let partner: Record<string, string>;

  beforeAll(async () => {
    await t.ok(`mutation { createWorkspace(input: { slug: "partner", name: "Partner" }) { id } }`);
    // An admin of "partner" only.
    const partnerAdmin = await addMember(t, 'partner-admin@access.test', 'ADMIN', { 'x-workspace': 'partner' });
    await t.ok(
      `mutation($id: ID!) { deleteMembership(id: $id, expectedRevision: 1) { id } }`,
      {
        id: (
          await t.ok(
            `{ memberships(filter: { userId: "${(await t.ok('{ me { principalId } }')).me.principalId}" }) { id } }`,
            {},
            { 'x-workspace': 'partner' },
          )
        ).memberships[0].id,
      },
      { 'x-workspace': 'partner' },
    );
    // Removing a membership ends that user's sessions (the admin's here): sign in again.
    await t.signInAgain();
    as.ADMIN = { authorization: `Bearer ${t.token()}` };
    partner = partnerAdmin.as;
  });

  it("another workspace's admin cannot attach a user by id, nor touch their global record", async () => {
    const victim = (await t.ok(`{ appUsers(filter: { email: "auditor@access.test" }) { id } }`)).appUsers[0];
    const attach = await t.gql(
      `mutation($u: ID!) { createMembership(input: { userId: $u, role: CLIENT }) { id } }`,
      { u: victim.id },
      partner,
    );
    expect(attach.errors?.length).toBeGreaterThan(0);
    const [{ n }] = await t.sql('SELECT count(*)::int AS n FROM membership WHERE user_id = $1', [victim.id]);
    expect(n).toBe(1);
    const mutations = Object.keys((schema().getMutationType() as GraphQLObjectType).getFields());
    expect(mutations.filter((m) => /^(create|update|delete)AppUser$|^createMembership$/.test(m))).toEqual([]);
  });

  it('inviting an email with an account elsewhere and one with none give the same answer', async () => {
    const shape = (r: { inviteUser: { token: string; invitation: Record<string, unknown> } }) => ({
      ...r.inviteUser,
      token: r.inviteUser.token.replace(/[A-Za-z0-9_-]/g, 'x'),
      invitation: { ...r.inviteUser.invitation, id: 'id', email: 'email', expiresAt: 'at', createdAt: 'at' },
    });
    const existing = await t.ok(INVITE, { i: { email: 'owner@access.test', role: 'CLIENT' } }, partner);
    const unknown = await t.ok(INVITE, { i: { email: 'nobody-yet@access.test', role: 'CLIENT' } }, partner);
    expect(shape(existing)).toEqual(shape(unknown));
    expect(existing.inviteUser.invitation.status).toBe('PENDING');
  });

  it('an invited user joins only by accepting, and their default workspace stays theirs', async () => {
    const invited = await t.ok(INVITE, { i: { email: 'auditor@access.test', role: 'STRATEGY_OWNER' } }, partner);
    // Before accepting, nothing changed for the user.
    const auditor = as.AUDITOR;
    expect(
      (await t.gql(`{ me { role } }`, {}, { ...auditor, 'x-workspace': 'partner' })).errors?.[0].extensions?.code,
    ).toBe('FORBIDDEN');
    // Someone else cannot accept it for them.
    const wrong = await t.gql(ACCEPT, { token: invited.inviteUser.token }, as.STRATEGY_OWNER);
    expect(wrong.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const accepted = await t.ok(ACCEPT, { token: invited.inviteUser.token }, auditor);
    expect(accepted.acceptInvitation).toEqual({ workspaceSlug: 'partner', role: 'STRATEGY_OWNER' });
    // The token is spent; the default workspace (no header) is still the first the user joined.
    expect((await t.gql(ACCEPT, { token: invited.inviteUser.token }, auditor)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect((await t.ok(`{ me { workspaceSlug } }`, {}, auditor)).me.workspaceSlug).toBe('demo');
    expect((await t.ok(`{ me { role } }`, {}, { ...auditor, 'x-workspace': 'partner' })).me.role).toBe(
      'STRATEGY_OWNER',
    );
  });

  it('an invitation for a new email creates the account on acceptance, with its password', async () => {
    const invited = await t.ok(INVITE, { i: { email: 'New.Person@access.test', role: 'AUDITOR' } }, partner);
    const short = await t.gql(ACCEPT, { token: invited.inviteUser.token, password: 'short' }, { anonymous: 'true' });
    expect(short.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await t.ok(
      ACCEPT,
      { token: invited.inviteUser.token, password: 'a new long password', name: 'New Person' },
      { anonymous: 'true' },
    );
    const token = await login(t.baseUrl, 'new.person@access.test', 'a new long password');
    expect((await t.ok(`{ me { workspaceSlug role } }`, {}, { authorization: `Bearer ${token}` })).me).toEqual({
      workspaceSlug: 'partner',
      role: 'AUDITOR',
    });
    const { history } = await t.ok(
      `{ history(filter: { entityType: Membership }, limit: 1) { action actorLabel } }`,
      {},
      partner,
    );
    expect(history[0]).toEqual({ action: 'CREATE', actorLabel: 'new.person@access.test' });
    // Invited later by an older workspace: joining it does not change their default workspace.
    const again = await t.ok(INVITE, { i: { email: 'new.person@access.test', role: 'CLIENT' } });
    await t.ok(ACCEPT, { token: again.inviteUser.token }, { authorization: `Bearer ${token}` });
    expect((await t.ok(`{ me { workspaceSlug } }`, {}, { authorization: `Bearer ${token}` })).me.workspaceSlug).toBe(
      'partner',
    );
  });

  it('a signed-in user sees their own pending invitations, only theirs, and accepts one without its token', async () => {
    // Pending since the "same answer" test above.
    const { myInvitations } = await t.ok(`{ myInvitations { id workspaceSlug role } }`, {}, as.STRATEGY_OWNER);
    expect(myInvitations).toEqual([expect.objectContaining({ workspaceSlug: 'partner', role: 'CLIENT' })]);
    const ACCEPT_MINE = `mutation($id: ID!) { acceptMyInvitation(id: $id) { workspaceSlug role } }`;
    expect((await t.gql(ACCEPT_MINE, { id: myInvitations[0].id }, as.AUDITOR)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    const { createApiKey } = await t.ok(`mutation { createApiKey(input: { name: "no inbox", role: ADMIN }) { key } }`);
    expect(
      (await t.ok(`{ myInvitations { id } }`, {}, { authorization: `Bearer ${createApiKey.key}` })).myInvitations,
    ).toEqual([]);
    expect((await t.ok(ACCEPT_MINE, { id: myInvitations[0].id }, as.STRATEGY_OWNER)).acceptMyInvitation).toEqual({
      workspaceSlug: 'partner',
      role: 'CLIENT',
    });
    expect((await t.ok(`{ myInvitations { id } }`, {}, as.STRATEGY_OWNER)).myInvitations).toEqual([]);
  });

  it('a revoked invitation cannot be accepted; only admins list and revoke invitations', async () => {
    const invited = await t.ok(INVITE, { i: { email: 'revoked@access.test', role: 'CLIENT' } }, partner);
    const { invitation } = invited.inviteUser;
    expect((await t.gql(`{ invitations { id } }`, {}, as.STRATEGY_OWNER)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    const listed = await t.ok(`{ invitations { id email status } }`, {}, partner);
    expect(listed.invitations).toEqual(
      expect.arrayContaining([{ id: invitation.id, email: 'revoked@access.test', status: 'PENDING' }]),
    );
    await t.ok(`mutation($id: ID!) { revokeInvitation(id: $id) { status } }`, { id: invitation.id }, partner);
    const res = await t.gql(
      ACCEPT,
      { token: invited.inviteUser.token, password: 'a new long password' },
      { anonymous: 'true' },
    );
    expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

const schema = () => buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
