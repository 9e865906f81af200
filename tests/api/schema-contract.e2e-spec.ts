import {
  getNamedType,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  type GraphQLInputType,
  type GraphQLObjectType,
  isEnumType,
  isNonNullType,
  isListType,
} from 'graphql';
import { getSchema } from '../../api/src/graphql/schema';
import { rulesOf } from '../../api/src/core/inputs';
import { REGISTRY } from '../../api/src/modules';
import type { CrudService } from '../../api/src/core/crud.service';
import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

// The schema as a contract for clients (issue 17, "Schema contract").
let t: TestServer;
let h: Record<string, string>;
let icpId: string;

beforeAll(async () => {
  t = await startTestServer({ demo: false });
  ({ headers: h } = await newWorkspace(t, 'contract'));
  icpId = await newIcp(t, h, 'contract-icp');
});
afterAll(() => t.close());

const validationError = (res: { errors?: { message: string; extensions?: Record<string, any> }[] }) => {
  expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  return res.errors?.[0].message;
};

describe('create and update inputs', () => {
  it('a required field is non-null in the create input: createTier without icpId fails validation', async () => {
    const res = await t.gql(`mutation { createTier(input: { rank: 1, name: "No ICP" }) { id } }`, {}, h);
    expect(validationError(res)).toBe('Field "CreateTierInput.icpId" of required type "ID!" was not provided.');
    expect(await t.sql(`SELECT count(*)::int AS n FROM tier WHERE name = 'No ICP'`)).toEqual([{ n: 0 }]);
  });

  it('a create-only field is not in the update input (a tier cannot move to another ICP)', async () => {
    const { r } = await t.ok(entityOps('Tier').create, { input: { icpId, rank: 1, name: 'First' } }, h);
    const res = await t.gql(
      `mutation($id: ID!, $rev: Int!, $icp: ID!) { updateTier(id: $id, expectedRevision: $rev, input: { icpId: $icp }) { id } }`,
      { id: r.id, rev: r.revision, icp: icpId },
      h,
    );
    expect(validationError(res)).toBe('Field "icpId" is not defined by type "UpdateTierInput".');
    // Every other field may be left out of an update.
    const ok = await t.ok(entityOps('Tier').update, { id: r.id, rev: r.revision, input: { name: 'Renamed' } }, h);
    expect(ok.r.revision).toBe(r.revision + 1);
  });

  it("a user's role is not changed through a user update (there is none) nor a membership's user", async () => {
    const user = await t.gql(`mutation { updateAppUser(id: "x", expectedRevision: 1, input: { role: ADMIN }) { id } }`);
    expect(validationError(user)).toMatch(/^Cannot query field "updateAppUser" on type "Mutation"\./);
    const membership = await t.gql(
      `mutation { updateMembership(id: "x", expectedRevision: 1, input: { userId: "y", role: ADMIN }) { id } }`,
    );
    expect(validationError(membership)).toBe('Field "userId" is not defined by type "UpdateMembershipInput".');
  });

  it('every generic type gets Create<X>Input (required fields non-null) and Update<X>Input (all optional)', async () => {
    const schema = await getSchema();
    const mutations = (schema.getMutationType() as GraphQLObjectType).getFields();
    const inputOf = (mutation: string) =>
      getNamedType(mutations[mutation].args.find((a) => a.name === 'input')!.type) as GraphQLInputObjectType;
    let checked = 0;
    for (const service of REGISTRY.services() as CrudService<any>[]) {
      const type = service.entity.name;
      const rules = rulesOf(service.cfg.input);
      const createOnly: readonly string[] = service.cfg.immutable ?? [];
      if (mutations[`create${type}`]) {
        const create = inputOf(`create${type}`);
        expect(create.name).toBe(`Create${type}Input`);
        const nonNull = Object.values(create.getFields()).filter((f) => isNonNullType(f.type));
        const required = [...rules].filter(([, r]) => 'required' in r && r.required).map(([k]) => k);
        expect(nonNull.map((f) => f.name).sort()).toEqual(required.sort());
        expect(Object.keys(create.getFields()).sort()).toEqual([...rules.keys()].sort());
        checked++;
      }
      if (mutations[`update${type}`]) {
        const update = inputOf(`update${type}`);
        expect(update.name).toBe(`Update${type}Input`);
        expect(Object.values(update.getFields()).filter((f) => isNonNullType(f.type))).toEqual([]);
        expect(Object.keys(update.getFields()).sort()).toEqual(
          [...rules.keys()].filter((k) => !createOnly.includes(k)).sort(),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(24);
  });
});

describe('lists', () => {
  it('take top-level offset and limit (what Apollo offsetLimitPagination reads), everywhere', async () => {
    const schema = await getSchema();
    const queries = (schema.getQueryType() as GraphQLObjectType).getFields();
    const lists = Object.values(queries).filter((q) =>
      q.args.some((a) => ['page', 'offset', 'limit'].includes(a.name)),
    );
    expect(lists.length).toBeGreaterThan(10);
    for (const q of lists) {
      expect([q.name, q.args.map((a) => a.name).filter((a) => ['page', 'offset', 'limit'].includes(a))]).toEqual([
        q.name,
        ['offset', 'limit'],
      ]);
    }
    for (const rank of [1, 2, 3])
      await t.ok(entityOps('Tier').create, { input: { icpId, rank: 10 + rank, name: `P${rank}` } }, h);
    const q = `query($o: Int, $l: Int) { tiers(filter: { q: "P" }, sort: [{ field: rank }], offset: $o, limit: $l) { name } }`;
    expect((await t.ok(q, { o: 1, l: 1 }, h)).tiers).toEqual([{ name: 'P2' }]);
    expect((await t.ok(q, {}, h)).tiers.map((x: { name: string }) => x.name)).toEqual(['P1', 'P2', 'P3']);
    const big = await t.gql(q, { l: 100000 }, h);
    expect(big.errors?.[0].message).toBe('limit: must be between 1 and 500 (got 100000)');
  });
});

describe('closed sets are enums', () => {
  it('no argument or input field that takes a sort field or a kind is a plain String', async () => {
    const schema = await getSchema();
    const offenders: string[] = [];
    // (A tier's or band's `action` is free text: what a rep should do.)
    const closed = /^(sort|sortBy|orderBy|kind|.*Kind|type|entityType|entity|status|format|role|field)$/;
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const fields = 'getFields' in type ? (type.getFields() as Record<string, any>) : {};
      for (const f of Object.values(fields) as { name: string; type: any; args?: { name: string; type: any }[] }[]) {
        const inputs = f.args ?? [f];
        for (const a of inputs) {
          if (!closed.test(a.name) || !type.name.match(/Input$|Filter$|Sort$|^Query$|^Mutation$/)) continue;
          const named: GraphQLNamedType = getNamedType(a.type as GraphQLInputType);
          if (!isEnumType(named) && named.name === 'String' && !isListType(a.type))
            offenders.push(`${type.name}.${f.args ? `${f.name}(${a.name})` : a.name}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every output field that names a kind is an enum', async () => {
    const schema = await getSchema();
    const offenders = Object.values(schema.getTypeMap())
      .filter((type) => !type.name.startsWith('__') && 'getFields' in type && !type.name.match(/Input$|Filter$/))
      .flatMap((type) => Object.values((type as GraphQLObjectType).getFields()).map((f) => ({ type, f })))
      .filter(({ f }) => /^(kind|.*Kind)$/.test(f.name) && !isEnumType(getNamedType(f.type)))
      .map(({ type, f }) => `${type.name}.${f.name}`);
    expect(offenders).toEqual([]);
  });
});

describe('a real client', () => {
  it("pages a list with Apollo Client's offsetLimitPagination, merging the pages in its cache", async () => {
    const { ApolloClient, HttpLink, InMemoryCache, gql } = await import('@apollo/client');
    const { offsetLimitPagination } = await import('@apollo/client/utilities');
    const client = new ApolloClient({
      link: new HttpLink({ uri: `${t.baseUrl}/graphql`, headers: { ...h, authorization: `Bearer ${t.token()}` } }),
      cache: new InMemoryCache({ typePolicies: { Query: { fields: { tiers: offsetLimitPagination(['filter']) } } } }),
    });
    const TIERS = gql`
      query Tiers($filter: TierFilter, $offset: Int, $limit: Int) {
        tiers(filter: $filter, sort: [{ field: rank }], offset: $offset, limit: $limit) {
          id
          name
        }
      }
    `;
    const filter = { icpId };
    const first = await client.query<{ tiers: { id: string; name: string }[] }>({
      query: TIERS,
      variables: { filter, offset: 0, limit: 2 },
    });
    expect(first.data?.tiers).toHaveLength(2);
    await client.query({ query: TIERS, variables: { filter, offset: 2, limit: 2 }, fetchPolicy: 'network-only' });
    const server = await t.ok(
      `query($f: TierFilter) { tiers(filter: $f, sort: [{ field: rank }]) { id name } }`,
      { f: filter },
      h,
    );
    // What the app reads from the cache: every page, in order, as the server listed them.
    const cached = client.readQuery({ query: TIERS, variables: { filter } }) as {
      tiers: { id: string; name: string }[];
    };
    expect(cached.tiers.map((x) => x.name)).toEqual(server.tiers.map((x: { name: string }) => x.name));
    expect(cached.tiers.length).toBeGreaterThan(2);
  });
});
