import request from 'supertest';
import {
  getNamedType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  isObjectType,
} from 'graphql';
import { guardedFields } from '../../api/src/auth/field-guard';
import { denial, ENTITY_ACCESS } from '../../api/src/auth/policy';
import { ICP_PARTS } from '../../api/src/modules/icp/icp-parts';
import { Role } from '../../api/src/auth/roles';
import { getSchema } from '../../api/src/graphql/schema';
import { startTestServer, type TestServer } from '../helpers/server';

// A production server (NODE_ENV=production): each hostile request is refused
// with a clear error, and none of them reaches the database.
let t: TestServer;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await startTestServer({ production: true });
  auth = { authorization: `Bearer ${t.token()}` };
  // Warm the caches so that a refused request would show any query it made.
  await t.ok(`query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score } }`, { a: { attributes: {} } });
});
afterAll(() => t.close());

async function refusedWithoutQuery(send: () => Promise<request.Response>): Promise<request.Response> {
  const before = t.queries();
  const res = await send();
  expect(t.queries() - before).toBe(0);
  return res;
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  request(t.baseUrl)
    .post('/graphql')
    .set({ 'content-type': 'application/json', ...auth, ...headers })
    .send(body as object);

describe('attack suite', () => {
  it('introspection is off', async () => {
    const res = await refusedWithoutQuery(() => post({ query: '{ __schema { types { name } } }' }));
    expect(res.body.errors[0].message).toMatch(/introspection is not allowed/i);
  });

  it('a misspelt field gets no "did you mean" hint', async () => {
    const res = await refusedWithoutQuery(() => post({ query: '{ icps { slugg } }' }));
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).not.toMatch(/did you mean/i);
  });

  it('an error PostgreSQL raises reaches the client without SQL or stack', async () => {
    // A NUL byte makes PostgreSQL itself fail the query: the client's input, so BAD_USER_INPUT (any
    // other database error is masked as INTERNAL_SERVER_ERROR: api/src/graphql/errors.spec.ts).
    const res = await post({ query: '{ icps(filter: { slug: "a\\u0000b" }) { slug } }' });
    expect(res.body.errors[0]).toMatchObject({
      message: expect.stringContaining('U+0000'),
      path: ['icps'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|invalid byte|stack|at /);
  });

  it('a mutation over GET is refused', async () => {
    const res = await refusedWithoutQuery(() =>
      request(t.baseUrl)
        .get('/graphql')
        .query({ query: 'mutation { publishIcp(icp: "itsm", changelog: "x") { version } }' })
        .set({ ...auth, 'apollo-require-preflight': 'true' }),
    );
    expect(res.status).toBe(405);
    expect(JSON.stringify(res.body)).toMatch(/GET.*mutation|mutation.*GET/i);
  });

  it('a text/plain POST (a cross-site form) is refused', async () => {
    // A form cannot send Authorization (with it, the request is not a CSRF candidate, and is refused as not JSON).
    const send = (headers: Record<string, string>) =>
      refusedWithoutQuery(() =>
        request(t.baseUrl)
          .post('/graphql')
          .set({ 'content-type': 'text/plain', ...headers })
          .send('{"query":"{ icps { slug } }"}'),
      );
    const [form, bearer] = [await send({}), await send(auth)];
    expect([form.status, bearer.status]).toEqual([400, 400]);
    expect(form.text).toMatch(/CSRF|preflight/i);
    expect(bearer.body.data).toBeUndefined();
  });

  it('a batched array of operations is refused', async () => {
    const res = await refusedWithoutQuery(() => post([{ query: '{ icps { slug } }' }, { query: '{ icps { slug } }' }]));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body ?? res.text) + res.text).toMatch(/batch/i);
  });

  it('a query deeper than the limit is refused', async () => {
    const levels = 7;
    const deep = `{ icps { ${'tiers { icp { '.repeat(levels)}slug${' } }'.repeat(levels)} } }`;
    const res = await refusedWithoutQuery(() => post({ query: deep }));
    expect(res.body.errors[0].message).toMatch(/levels deep; at most 12 are allowed/);
  });

  it('more aliases than the limit are refused', async () => {
    const many = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: icpCount`).join(' ')} }`;
    const res = await refusedWithoutQuery(() => post({ query: many }));
    expect(res.body.errors[0].message).toBe('The query uses 40 aliases; at most 30 are allowed');
  });

  it('an oversized fitScores list is refused before it is read', async () => {
    const accounts = Array.from({ length: 10_001 }, () => ({ attributes: {} }));
    const res = await refusedWithoutQuery(() =>
      post({
        query: 'query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { score } }',
        variables: { as: accounts },
      }),
    );
    expect(res.body.errors[0].message).toBe(
      'The request scores 10001 accounts; at most 10000 are allowed in one request (split the list into several calls)',
    );
  });

  it('an anonymous request gets nothing but a clear instruction', async () => {
    const res = await refusedWithoutQuery(() =>
      request(t.baseUrl).post('/graphql').set('content-type', 'application/json').send({ query: '{ icps { slug } }' }),
    );
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.body.errors[0].message).toContain('Sign in');
  });
});

// Issue 12, finding 3: every limit and the draft rule follow fragments, and a cost bounds the work.
describe('whole-document analysis', () => {
  let client: Record<string, string>;
  beforeAll(async () => {
    const { createApiKey } = await t.ok(
      `mutation { createApiKey(input: { name: "limits-crm", role: CLIENT }) { key } }`,
    );
    client = { authorization: `Bearer ${createApiKey.key}` };
    // The key is looked up once, then cached: a refused request of it shows any query it makes.
    await t.ok('{ me { role } }', {}, client);
  });
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ key: String(i), attributes: {} }));
  const refusal = (res: request.Response) => {
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    return res.body.errors[0].message as string;
  };

  it('depth counts the levels inside nested named and inline fragments', async () => {
    // 1 (icps) + 7 × (tiers, icp) + slug = 16 levels, hidden in a chain of fragments.
    const frags = Array.from(
      { length: 7 },
      (_, i) => `fragment F${i} on Icp { tiers { ... on Tier { icp { ${i < 6 ? `...F${i + 1}` : 'slug'} } } } }`,
    ).join(' ');
    const res = await refusedWithoutQuery(() => post({ query: `{ icps { ...F0 } } ${frags}` }));
    expect(refusal(res)).toBe('The query is 16 levels deep; at most 12 are allowed');
  });

  it('aliases inside a fragment count once per spread', async () => {
    const aliased = Array.from({ length: 20 }, (_, i) => `a${i}: icpCount`).join(' ');
    const res = await refusedWithoutQuery(() =>
      post({ query: `{ ...A x: icps { slug } ...A } fragment A on Query { ${aliased} }` }),
    );
    expect(refusal(res)).toBe('The query uses 41 aliases; at most 30 are allowed');
  });

  it('fields inside nested fragments count once per spread', async () => {
    const fields = Array.from({ length: 100 }, () => 'slug').join(' ');
    const spreads = Array.from({ length: 12 }, () => '...F').join(' ');
    const res = await refusedWithoutQuery(() =>
      post({ query: `{ icps { ${spreads} } } fragment F on Icp { ...G } fragment G on Icp { ${fields} }` }),
    );
    expect(refusal(res)).toBe('The query selects 1201 fields; at most 1000 are allowed');
  });

  it('directives count across fragments', async () => {
    const skipped = Array.from({ length: 30 }, () => 'slug @skip(if: false)').join(' ');
    const res = await refusedWithoutQuery(() =>
      post({ query: `{ icps { ...F ...F } } fragment F on Icp { ${skipped} }` }),
    );
    expect(refusal(res)).toBe('The query uses 60 directives; at most 50 are allowed');
  });

  it('a document of more tokens than the limit is refused at parsing', async () => {
    const res = await refusedWithoutQuery(() => post({ query: `{ icps { ${'slug '.repeat(5_001)} } }` }));
    expect(refusal(res)).toBe('The query has more than 5000 tokens; at most 5000 are allowed');
  });

  it.each([
    [
      'a named fragment',
      'fitScore(icp: "ml-inference", account: $a) { action personas { ...P } } } fragment P on PublishedPersona { name draft { icp { slug } } }',
      'personas',
      'PublishedPersona.draft',
    ],
    [
      'an inline fragment',
      'fitScore(icp: "ml-inference", account: $a) { action personas { name ... on PublishedPersona { draft { tier { name } } } } } }',
      'personas',
      'PublishedPersona.draft',
    ],
    [
      'nested fragments',
      'fitScore(icp: "ml-inference", account: $a) { action ...S } } fragment S on FitScore { useCases { ...U } } fragment U on PublishedUseCasePattern { name ... { draft { icp { exampleAccounts { name } } } } }',
      'useCases',
      'PublishedUseCasePattern.draft',
    ],
  ])('a client reading draft data through %s is refused that field alone', async (_how, body, list, field) => {
    const res = await post(
      {
        query: `query($a: AccountInput!) { ${body}`,
        variables: { a: { attributes: { industry: 'Financial Services' } } },
      },
      client,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.fitScore.action).toEqual(expect.any(String));
    const items = res.body.data.fitScore[list] as { name: string; draft: unknown }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.name && i.draft === null)).toBe(true);
    expect(res.body.errors).toHaveLength(items.length);
    expect(res.body.errors[0]).toMatchObject({
      message: `Your role CLIENT may not read "${field}": it needs ADMIN, STRATEGY_OWNER or AUDITOR`,
      path: ['fitScore', list, 0, 'draft'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('80 aliased fitScores over one 10,000-account variable are refused before any scoring', async () => {
    const many = Array.from({ length: 80 }, (_, i) => `s${i}: fitScores(icp: "itsm", accounts: $as) { score }`).join(
      ' ',
    );
    const started = Date.now();
    const res = await refusedWithoutQuery(() =>
      post({
        query: `query($as: [AccountInput!]!) { ...Q } fragment Q on Query { ${many} }`,
        variables: { as: accounts(10_000) },
      }),
    );
    refusal(res);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.body.extensions.cost).toMatchObject({ accounts: 800_000, accountsLimit: 10_000 });
  });

  it('one request scores at most 10,000 accounts in all, across aliases and fragments', async () => {
    const res = await refusedWithoutQuery(() =>
      post({
        query: `query($as: [AccountInput!]!, $a: AccountInput!) { a: fitScores(icp: "itsm", accounts: $as) { score } ...B } fragment B on Query { b: fitScores(icp: "itsm", accounts: $as) { score } one: fitScore(icp: "itsm", account: $a) { score } }`,
        variables: { as: accounts(5_000), a: { attributes: {} } },
      }),
    );
    expect(refusal(res)).toBe(
      'The request scores 10001 accounts; at most 10000 are allowed in one request (split the list into several calls)',
    );
    // simulateIcp scores its list too.
    const simulated = await refusedWithoutQuery(() =>
      post({
        query: `query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { score } simulateIcp(icp: "itsm", accounts: $as) { publishedVersion } }`,
        variables: { as: accounts(6_000) },
      }),
    );
    expect(refusal(simulated)).toMatch(/^The request scores 12000 accounts; at most 10000/);
    const ok = await post({
      query: `query($as: [AccountInput!]!) { a: fitScores(icp: "itsm", accounts: $as) { score } ...B } fragment B on Query { b: fitScores(icp: "itsm", accounts: $as) { score } }`,
      variables: { as: accounts(5_000) },
    });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.b).toHaveLength(5_000);
  });

  it('the cost counts every field once per account under a list argument', async () => {
    // 10,000 accounts within the account limit, but 60 fields for each of them.
    const fields = Array.from({ length: 60 }, () => 'score').join(' ');
    const res = await refusedWithoutQuery(() =>
      post({
        query: `query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { ...F } } fragment F on FitScore { ${fields} }`,
        variables: { as: accounts(10_000) },
      }),
    );
    expect(refusal(res)).toBe(
      'The query costs 610001; at most 500000 is allowed (a field costs 1, a list argument its length; the fields under a list count once per item, 10 items assumed, once per account under fitScores or simulateIcp)',
    );
  });

  it('every response carries its cost in extensions.cost', async () => {
    const one = await post({
      query: `query($a: AccountInput!) { fitScore(icp: "itsm", account: $a) { score tier { name } } }`,
      variables: { a: { attributes: {} } },
    });
    expect(one.body.extensions.cost).toEqual({ requested: 4, limit: 500_000, accounts: 1, accountsLimit: 10_000 });
    // fitScores: 1 for the field, 3 for its list, then 3 fields for each of the 3 accounts.
    const many = await post({
      query: `query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { ...F } } fragment F on FitScore { score tier { name } }`,
      variables: { as: accounts(3) },
    });
    expect(many.body.extensions.cost).toEqual({ requested: 13, limit: 500_000, accounts: 3, accountsLimit: 10_000 });
    const list = await post({ query: `{ icps(sort: [{ field: slug }, { field: name }]) { slug } }` });
    // icps: 1, its sort list 2, then slug for each of an assumed 10 items.
    expect(list.body.extensions.cost).toEqual({ requested: 13, limit: 500_000, accounts: 0, accountsLimit: 10_000 });
    // A score's explanation counts 30 items for each account: 1 + 3 + 3 × (1 + 30 × 2).
    const nested = await post({
      query: `query($as: [AccountInput!]!) { fitScores(icp: "itsm", accounts: $as) { explanation { partId held } } }`,
      variables: { as: accounts(3) },
    });
    expect(nested.body.extensions.cost).toEqual({ requested: 187, limit: 500_000, accounts: 3, accountsLimit: 10_000 });
  });
});

// Field-by-field refusal, proven on the resolvers themselves: every guarded field refuses the roles its type's
// readers leave out, whatever reached it.
describe('guarded fields at resolution', () => {
  it('a client reaches no draft type except through a guarded field (a new path to a draft is guarded by itself)', async () => {
    const schema = await getSchema();
    const guarded = guardedFields(schema);
    const roots = [schema.getQueryType()!, schema.getMutationType()!].flatMap((root) =>
      Object.values(root.getFields()).filter((f) => !denial(f.name, Role.CLIENT)),
    );
    const stack: GraphQLNamedType[] = roots.map((f) => getNamedType(f.type));
    const reached = new Set<string>();
    while (stack.length) {
      const type = stack.pop()!;
      if (!isObjectType(type) || reached.has(type.name)) continue;
      reached.add(type.name);
      for (const f of Object.values(type.getFields()))
        if (guarded.get(`${type.name}.${f.name}`)?.includes(Role.CLIENT) !== false) stack.push(getNamedType(f.type));
    }
    // A score and a published version reach a client as published records only (issue 17): no draft type.
    expect([...reached].filter((name) => ENTITY_ACCESS[name])).toEqual([]);
    expect([...reached].sort()).toEqual(
      [
        'AcceptedInvitation',
        // The published ICP record's structured items.
        'ChecklistItem',
        'ConditionResult',
        'Criterion',
        'DimensionScore',
        'EntityPermission',
        'FitScore',
        // A published version as SQL (issue 19): text made from the published snapshot.
        'IcpSqlExport',
        'IcpVersion',
        'LabeledValue',
        'Me',
        'MyPermissions',
        'MyWorkspace',
        'PendingInvitation',
        'Provenance',
        ...[...guarded.keys()].map((k) => k.split('.')[0]).filter((t) => t.startsWith('Published')),
        'PublishedAttribute',
        'Question',
        'RuleHit',
        'ScoreBand',
        'ScoreCheck',
        'Session',
        'TierMatch',
        'TierRef',
      ].sort(),
    );
  });

  it("guards every published type's draft record, the only draft a client reaches", async () => {
    const guarded = guardedFields(await getSchema());
    expect([...guarded.keys()].sort()).toEqual(
      ['Icp', ...ICP_PARTS.map((p) => p.entity.name)].map((type) => `Published${type}.draft`).sort(),
    );
  });

  it.each(['PublishedPersona.draft', 'PublishedIcp.draft', 'PublishedTier.draft'])(
    '%s refuses the roles that may not read it, and resolves for the others',
    async (key) => {
      const schema = await getSchema();
      const access = guardedFields(schema).get(key)!;
      const [type, name] = key.split('.');
      const field = (schema.getType(type) as GraphQLObjectType).getFields()[name];
      const loaded: string[] = [];
      const ctx = (role: Role | null) => ({
        principal: role ? { role } : null,
        loaders: { byId: () => ({ load: async (id: string) => (loaded.push(id), { id }) }) },
      });
      const source = { partId: 'part-1', icp: { id: 'icp-1' } };
      const info = { fieldName: name, parentType: { name: type } } as unknown as GraphQLResolveInfo;
      for (const role of Object.values(Role).filter((r) => !access.includes(r)))
        await expect(async () => field.resolve!(source, {}, ctx(role), info)).rejects.toThrow(
          `Your role ${role} may not read "${key}": it needs ${access.slice(0, -1).join(', ')} or ${access.at(-1)}`,
        );
      await expect(async () => field.resolve!(source, {}, ctx(null), info)).rejects.toThrow(`Sign in to read "${key}"`);
      expect(loaded).toEqual([]);
      for (const role of access)
        expect(await field.resolve!(source, {}, ctx(role), info)).toEqual({ id: expect.stringMatching(/-1$/) });
    },
  );
});
