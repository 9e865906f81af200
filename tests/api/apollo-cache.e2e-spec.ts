import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { tap } from 'rxjs';
import { addMember } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * What an app built on Apollo Client reads is what the server sent: the
 * normalized cache keys objects by `__typename:id`, so an object type whose id
 * does not mean one thing (a rule's id on every account's result, a published
 * persona under its draft's id) silently mixes answers. Real client, real
 * in-process server over HTTP.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

/** A client with its own cache, and every response exactly as the server sent it. */
function client() {
  const sent: Record<string, unknown>[] = [];
  const record = new ApolloLink((operation, forward) =>
    forward(operation).pipe(tap((result) => sent.push(result.data as Record<string, unknown>))),
  );
  const http = new HttpLink({ uri: `${t.baseUrl}/graphql`, headers: { authorization: `Bearer ${t.token()}` } });
  return { apollo: new ApolloClient({ link: record.concat(http), cache: new InMemoryCache() }), sent };
}

/** The data without the `__typename`s Apollo adds to every selection. */
const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '__typename' ? undefined : v)));

// ml-inference (seed 003): the same rules give acme and the government agency different points and outcomes.
const ACME = {
  key: 'acme',
  attributes: {
    annualRevenueUsd: 5e9,
    mlMaturity: 'dedicated',
    inferencesPerDay: 5e6,
    annualBudgetUsd: 1e6,
    industry: 'Financial Services',
    useCaseFit: 9,
    commercialFit: 8,
    technicalFit: 9,
    strategicValue: 10,
    signals: ['funding_round'],
  },
};
const GOV = {
  key: 'gov',
  attributes: {
    annualRevenueUsd: 2e8,
    mlMaturity: 'early',
    inferencesPerDay: 1e4,
    annualBudgetUsd: 5e4,
    industry: 'Government',
    useCaseFit: 2,
    commercialFit: 1,
    technicalFit: 3,
    strategicValue: 2,
    signals: [],
  },
};

const SCORE_FIELDS = `
  accountKey score disqualified action
  tier { id name rank }
  disqualifiers { ruleId name reason }
  dimensions { name score hits { ruleId name points } }
  triggers { ruleId name }
  personas { id partId name }
  useCases { id partId name }
  explanation { partId kind name held points missingAttributes }`;
const SCORES = gql`
  query Scores($accounts: [AccountInput!]!) { fitScores(icp: "ml-inference", accounts: $accounts) { ${SCORE_FIELDS} } }
`;
const SCORE = gql`
  query Score($account: AccountInput!) { fitScore(icp: "ml-inference", account: $account) { ${SCORE_FIELDS} } }
`;

describe('Apollo Client InMemoryCache against the live server', () => {
  it('fitScores of two accounts: each result read back from the cache is what the server sent', async () => {
    const { apollo, sent } = client();
    const variables = { accounts: [ACME, GOV] };
    await apollo.query({ query: SCORES, variables, fetchPolicy: 'network-only' });
    const server = plain(sent[0]) as { fitScores: { score: number; disqualified: boolean }[] };
    // The two accounts really differ, so a merged cache entry shows.
    expect(server.fitScores[0].score).not.toBe(server.fitScores[1].score);
    expect(server.fitScores.map((s) => s.disqualified)).toEqual([false, true]);
    expect(plain(apollo.readQuery({ query: SCORES, variables }))).toEqual(server);
  });

  it('fitScore of one account, then of another: the first is still what the server sent', async () => {
    const { apollo, sent } = client();
    await apollo.query({ query: SCORE, variables: { account: ACME }, fetchPolicy: 'network-only' });
    await apollo.query({ query: SCORE, variables: { account: GOV }, fetchPolicy: 'network-only' });
    expect(plain(apollo.readQuery({ query: SCORE, variables: { account: ACME } }))).toEqual(plain(sent[0]));
    expect(plain(apollo.readQuery({ query: SCORE, variables: { account: GOV } }))).toEqual(plain(sent[1]));
  });

  it('a draft edit of a persona, then a score returning the published persona: the cached draft is unchanged', async () => {
    const { apollo, sent } = client();
    const ICP = gql`
      query Draft {
        icpBySlug(idOrSlug: "itsm") {
          id
          personas {
            id
            name
            revision
            description
          }
        }
      }
    `;
    const draft = (await apollo.query({ query: ICP, fetchPolicy: 'network-only' })).data as {
      icpBySlug: { personas: { id: string; name: string; revision: number }[] };
    };
    const persona = draft.icpBySlug.personas[0];
    const EDIT = gql`
      mutation Edit($id: ID!, $revision: Int!) {
        updatePersona(id: $id, expectedRevision: $revision, input: { description: "Edited in the draft" }) {
          id
          name
          revision
          description
        }
      }
    `;
    await apollo.mutate({ mutation: EDIT, variables: { id: persona.id, revision: persona.revision } });
    const edited = plain(sent[1]) as { updatePersona: Record<string, unknown> };
    expect(edited.updatePersona).toMatchObject({ id: persona.id, description: 'Edited in the draft' });

    // The published version (1) still has the persona as it was: its description is not the edit.
    const PUBLISHED = gql`
      query Published($account: AccountInput!) {
        fitScore(icp: "itsm", account: $account) {
          icpVersion
          personas {
            id
            name
            description
          }
        }
      }
    `;
    const account = { key: 'mid', attributes: { employees: 300, currentTools: ['excel'] } };
    await apollo.query({ query: PUBLISHED, variables: { account }, fetchPolicy: 'network-only' });
    const published = plain(sent[2]) as { fitScore: { personas: { name: string; description: string | null }[] } };
    const same = published.fitScore.personas.find((p) => p.name === persona.name);
    expect(same).toBeDefined();
    expect(same!.description).not.toBe('Edited in the draft');

    // What the editor's page reads: the draft as edited, not the published persona.
    const cached = plain(apollo.readQuery({ query: ICP })) as typeof draft;
    expect(cached.icpBySlug.personas.find((p) => p.id === persona.id)).toEqual(edited.updatePersona);
    expect(plain(apollo.readQuery({ query: PUBLISHED, variables: { account } }))).toEqual(published);
  });

  it('a tier renamed in the draft, then simulateIcp: the published and the draft tier are each what the server sent', async () => {
    const { apollo, sent } = client();
    const { icpBySlug } = await t.ok(`{ icpBySlug(idOrSlug: "ml-inference") { tiers { id name rank revision } } }`);
    const first = icpBySlug.tiers.find((x: { rank: number }) => x.rank === 1);
    await t.ok(
      `mutation($id: ID!, $r: Int!) { updateTier(id: $id, expectedRevision: $r, input: { name: "Renamed in the draft" }) { id } }`,
      { id: first.id, r: first.revision },
    );
    const SIMULATE = gql`
      query Simulate($a: [AccountInput!]!) {
        simulateIcp(icp: "ml-inference", accounts: $a) {
          accounts {
            accountKey
            before {
              tier {
                id
                partId
                name
                rank
              }
            }
            after {
              tier {
                id
                partId
                name
                rank
              }
            }
          }
        }
      }
    `;
    await apollo.query({ query: SIMULATE, variables: { a: [ACME] }, fetchPolicy: 'network-only' });
    const answer = plain(sent[0]) as {
      simulateIcp: { accounts: { before: { tier: { name: string } }; after: { tier: { name: string } } }[] };
    };
    const [acme] = answer.simulateIcp.accounts;
    expect([acme.before.tier.name, acme.after.tier.name]).toEqual([first.name, 'Renamed in the draft']);
    expect(plain(apollo.readQuery({ query: SIMULATE, variables: { a: [ACME] } }))).toEqual(answer);
  });

  it('revisions have an id (their global seq): a cache keeps each, and reads back what was sent', async () => {
    const { apollo, sent } = client();
    const HISTORY = gql`
      query History {
        history(limit: 5) {
          id
          seq
          entityType
          chainIndex
        }
      }
    `;
    await apollo.query({ query: HISTORY, fetchPolicy: 'network-only' });
    const answer = plain(sent[0]) as { history: { id: string; seq: string }[] };
    expect(answer.history).toHaveLength(5);
    for (const r of answer.history) expect(r.id).toBe(r.seq);
    expect(plain(apollo.readQuery({ query: HISTORY }))).toEqual(answer);
  });

  it('me in two workspaces with different roles: each answer read back is what the server sent', async () => {
    await t.ok(`mutation { createWorkspace(input: { slug: "cache-second", name: "Second" }) { id } }`);
    const member = await addMember(t, 'two-roles@cache.test', 'AUDITOR');
    await t
      .ok(
        `mutation($i: CreateInvitationInput!) { inviteUser(input: $i) { token } }`,
        { i: { email: 'two-roles@cache.test', role: 'STRATEGY_OWNER' } },
        { 'x-workspace': 'cache-second' },
      )
      .then(({ inviteUser }) =>
        t.ok(`mutation($t: String!) { acceptInvitation(token: $t) { role } }`, { t: inviteUser.token }, member.as),
      );
    const { apollo, sent } = client();
    const ME = gql`
      query Me {
        me {
          id
          role
          workspaceSlug
          workspaces {
            id
            slug
            role
          }
        }
      }
    `;
    const inWorkspace = (slug?: string) => ({
      headers: { ...member.as, ...(slug ? { 'x-workspace': slug } : {}) },
    });
    type Answer = { me: { id: string; role: string } };
    await apollo.query({ query: ME, context: inWorkspace(), fetchPolicy: 'network-only' });
    const first = plain(sent[sent.length - 1]) as Answer;
    await apollo.query({ query: ME, context: inWorkspace('cache-second'), fetchPolicy: 'network-only' });
    const second = plain(sent[sent.length - 1]) as Answer;
    expect([first.me.role, second.me.role]).toEqual(['AUDITOR', 'STRATEGY_OWNER']);
    // Both answers stay in the cache as sent: the second did not overwrite the first's role or workspaces.
    expect(first.me.id).not.toBe(second.me.id);
    for (const d of [first, second]) {
      const key = apollo.cache.identify({ __typename: 'Me', id: d.me.id })!;
      const entries = apollo.cache.extract() as Record<string, Record<string, unknown>>;
      expect(entries[key]).toMatchObject({ role: d.me.role });
    }
  });
});
