import { login, type TestServer } from './server';

/** Shared GraphQL operations for the module tests. */
export const entityOps = (type: string) => {
  const one = type[0].toLowerCase() + type.slice(1);
  return {
    create: `mutation($input: Create${type}Input!) { r: create${type}(input: $input) { id revision } }`,
    update: `mutation($id: ID!, $rev: Int!, $input: Update${type}Input!) { r: update${type}(id: $id, expectedRevision: $rev, input: $input) { id revision } }`,
    remove: `mutation($id: ID!, $rev: Int!) { r: delete${type}(id: $id, expectedRevision: $rev) { id } }`,
    get: (fields: string) => `query($id: ID!) { r: ${one}(id: $id) { id revision ${fields} } }`,
    count: `query($filter: ${type}Filter) { n: ${one}Count(filter: $filter) }`,
  };
};

/** A small attribute catalogue for test workspaces. */
export const TEST_CATALOGUE = [
  { name: 'employees', type: 'INT' },
  { name: 'industry', type: 'STRING' },
  { name: 'signals', type: 'STRING_LIST' },
  { name: 'annualRevenueUsd', type: 'NUMBER' },
];

/** A workspace of its own for a test, with the header that selects it and a small catalogue. */
export async function newWorkspace(
  t: TestServer,
  slug: string,
): Promise<{ id: string; headers: Record<string, string> }> {
  const data = await t.ok(`mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { id } }`, {
    input: { slug, name: `Workspace ${slug}` },
  });
  const headers = { 'x-workspace': slug };
  for (const input of TEST_CATALOGUE)
    await t.ok(
      `mutation($input: CreateAttributeDefinitionInput!) { createAttributeDefinition(input: $input) { id } }`,
      { input },
      headers,
    );
  return { id: data.createWorkspace.id, headers };
}

export async function newIcp(t: TestServer, headers: Record<string, string>, slug: string): Promise<string> {
  const data = await t.ok(
    `mutation($input: CreateIcpInput!) { createIcp(input: $input) { id } }`,
    { input: { slug, name: `ICP ${slug}` } },
    headers,
  );
  return data.createIcp.id;
}

/** A user with a role in a workspace (the demo one by default): their id, membership id and a session's headers. */
export async function addMember(
  t: TestServer,
  email: string,
  role: string,
  headers: Record<string, string> = {},
  password = 'a long enough password',
): Promise<{ id: string; membershipId: string; as: Record<string, string> }> {
  // Through an invitation, as people join: the admin invites, the person accepts (creating their account).
  const { inviteUser } = await t.ok(
    `mutation($i: CreateInvitationInput!) { inviteUser(input: $i) { token } }`,
    { i: { email, role } },
    headers,
  );
  await t.ok(
    `mutation($t: String!, $p: String) { acceptInvitation(token: $t, password: $p) { role } }`,
    { t: inviteUser.token, p: password },
    { anonymous: 'true' },
  );
  const as = { ...headers, authorization: `Bearer ${await login(t.baseUrl, email, password)}` };
  const { me } = await t.ok(`{ me { id: principalId } }`, {}, as);
  const { ms } = await t.ok(`query($u: ID!) { ms: memberships(filter: { userId: $u }) { id } }`, { u: me.id }, headers);
  return { id: me.id, membershipId: ms[0].id, as };
}
