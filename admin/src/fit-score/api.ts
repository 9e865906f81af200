import { GraphQLRequestError, gql } from '../providers/graphql';
import type { AccountRow, AttributeSpec } from './csv';
import type { Movement } from './movers';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

/** The scoring pages' calls to the API (fitScore, fitScores, simulateIcp) and the lists they pick from. */

export type ExampleAccount = Selected<G.ExampleAccount, 'id' | 'name'> & { attributes: Record<string, unknown> };
export type IcpChoice = Selected<G.Icp, 'id' | 'slug' | 'name' | 'latestVersion'> & {
  exampleAccounts: ExampleAccount[];
};
export type VersionChoice = Selected<G.IcpVersion, 'version' | 'publishedAt' | 'changelog'>;
export type RuleHit = Selected<G.RuleHit, 'ruleId' | 'name' | 'expression' | 'reason' | 'points'>;
export type ScoreCheck = Selected<
  G.ScoreCheck,
  'partId' | 'kind' | 'name' | 'expression' | 'held' | 'points' | 'dimension' | 'missingAttributes'
>;
type TierRef = Selected<G.TierRef, 'id' | 'partId' | 'name' | 'rank'>;
export type TierMatch = Selected<G.TierMatch, 'held' | 'total'> & {
  tier: TierRef;
  conditions: Selected<G.ConditionResult, 'text' | 'outcome' | 'attributes' | 'error'>[];
};
export type FitScore = Selected<
  G.FitScore,
  | 'accountKey'
  | 'icpSlug'
  | 'icpVersion'
  | 'score'
  | 'maxScore'
  | 'disqualified'
  | 'action'
  | 'undetermined'
  | 'decidingAttributes'
  | 'missingAttributes'
> & {
  disqualifiers: RuleHit[];
  tier: TierRef | null;
  band: Selected<G.ScoreBand, 'name' | 'minScore' | 'action'> | null;
  nearestTier: TierMatch | null;
  tierMatches: TierMatch[];
  dimensions: (Selected<G.DimensionScore, 'name' | 'score' | 'max'> & { hits: RuleHit[] })[];
  triggers: RuleHit[];
  personas: Selected<G.PublishedPersona, 'id' | 'name' | 'jobTitles' | 'buyingRoles'>[];
  useCases: Selected<
    G.PublishedUseCasePattern,
    'id' | 'name' | 'industry' | 'painPoints' | 'useCases' | 'keyMetrics' | 'competitors'
  >[];
  explanation: ScoreCheck[];
};
/** What the ranked list needs of a score. */
export type ShortScore = Pick<
  FitScore,
  | 'accountKey'
  | 'score'
  | 'maxScore'
  | 'disqualified'
  | 'tier'
  | 'band'
  | 'icpVersion'
  | 'action'
  | 'undetermined'
  | 'decidingAttributes'
  | 'missingAttributes'
> & { disqualifiers: { name: string }[]; triggers: { name: string }[] };

const HIT = 'ruleId name expression reason points';
const MATCH = 'tier { id partId name rank } held total conditions { text outcome attributes error }';
const FULL = `accountKey icpSlug icpVersion score maxScore disqualified disqualifiers { ${HIT} } tier { id partId name rank } band { name minScore action }
  action undetermined decidingAttributes nearestTier { ${MATCH} } tierMatches { ${MATCH} }
  dimensions { name score max hits { ${HIT} } } triggers { ${HIT} } personas { id name jobTitles buyingRoles }
  useCases { id name industry painPoints useCases keyMetrics competitors } missingAttributes
  explanation { partId kind name expression held points dimension missingAttributes }`;
const SHORT =
  'accountKey icpVersion score maxScore disqualified disqualifiers { name } tier { id partId name rank } band { name minScore action } action undetermined decidingAttributes triggers { name } missingAttributes';

export const loadIcps = async (): Promise<IcpChoice[]> =>
  (
    await gql<{ icps: IcpChoice[] }>(
      `{ icps(limit: 500, sort: [{ field: slug }]) { id slug name latestVersion exampleAccounts { id name attributes } } }`,
    )
  ).icps;

export const loadVersions = async (icp: string): Promise<VersionChoice[]> =>
  (
    await gql<{ icpVersions: VersionChoice[] }>(
      `query($icp: String!) { icpVersions(icp: $icp) { version publishedAt changelog } }`,
      { icp },
    )
  ).icpVersions;

export const loadCatalogue = async (): Promise<AttributeSpec[]> =>
  (
    await gql<{ attributeDefinitions: AttributeSpec[] }>(
      `{ attributeDefinitions(limit: 500) { name type description allowedValues unit } }`,
    )
  ).attributeDefinitions;

/** The attributes a published version reads (default: the latest), sorted. */
export const loadScoringAttributes = async (icp: string, version?: number): Promise<string[]> =>
  (
    await gql<{ scoringAttributes: string[] }>(
      `query($icp: String!, $v: Int) { scoringAttributes(icp: $icp, version: $v) }`,
      { icp, v: version ?? null },
    )
  ).scoringAttributes;

export const scoreOne = async (icp: string, account: AccountRow, version?: number): Promise<FitScore> =>
  (
    await gql<{ fitScore: FitScore }>(
      `query($icp: String!, $a: AccountInput!, $v: Int) { fitScore(icp: $icp, account: $a, version: $v) { ${FULL} } }`,
      { icp, a: account, v: version ?? null },
    )
  ).fitScore;

/** Accounts per request: well under the API's 10,000, so the progress bar moves and one request stays small. */
export const CHUNK = 500;

/** A refusal from the server for one chunk, with each problem's account mapped back to its CSV line. */
export class ChunkError extends Error {
  constructor(
    message: string,
    readonly problems: { line?: number; message: string }[],
  ) {
    super(message);
  }
}

/** Runs `call` over the accounts CHUNK at a time, in order, reporting progress; server problems name the CSV line. */
export async function inChunks<T>(
  accounts: AccountRow[],
  lines: number[],
  call: (chunk: AccountRow[]) => Promise<T[]>,
  onProgress: (done: number) => void,
  cancelled: () => boolean = () => false,
): Promise<T[]> {
  const out: T[] = [];
  onProgress(0);
  for (let offset = 0; offset < accounts.length; offset += CHUNK) {
    if (cancelled()) throw new Error('cancelled');
    const chunk = accounts.slice(offset, offset + CHUNK);
    try {
      out.push(...(await call(chunk)));
    } catch (e) {
      throw withLines(e, offset, lines);
    }
    onProgress(Math.min(accounts.length, offset + chunk.length));
  }
  return out;
}

function withLines(e: unknown, offset: number, lines: number[]): unknown {
  if (!(e instanceof GraphQLRequestError) || !Array.isArray(e.extensions.problems)) return e;
  const problems = (e.extensions.problems as { path: string; message: string }[]).map((p) => {
    const m = /^accounts\[(\d+)\]\.?(?:attributes\.)?(.*)$/.exec(p.path);
    if (!m) return { message: `${p.path}: ${p.message}` };
    return { line: lines[offset + Number(m[1])], message: `${m[2] ? `${m[2]}: ` : ''}${p.message}` };
  });
  return new ChunkError(e.message, problems);
}

export const scoreMany = async (icp: string, accounts: AccountRow[], version?: number): Promise<ShortScore[]> =>
  (
    await gql<{ fitScores: ShortScore[] }>(
      `query($icp: String!, $as: [AccountInput!]!, $v: Int) { fitScores(icp: $icp, accounts: $as, version: $v) { ${SHORT} } }`,
      {
        icp,
        as: accounts,
        v: version ?? null,
      },
    )
  ).fitScores;

export type { Movement };
export interface SimulatedAccount {
  accountKey: string | null;
  before: ShortScore | null;
  after: ShortScore;
  changed: boolean;
  movement: Movement;
  scoreDelta: number;
}
export interface Simulation {
  publishedVersion: number | null;
  accounts: SimulatedAccount[];
}

export const simulate = async (icp: string, accounts: AccountRow[]): Promise<Simulation> =>
  (
    await gql<{ simulateIcp: Simulation }>(
      `query($icp: String!, $as: [AccountInput!]!) { simulateIcp(icp: $icp, accounts: $as) { publishedVersion accounts { accountKey changed movement scoreDelta before { ${SHORT} } after { ${SHORT} } } } }`,
      { icp, as: accounts },
    )
  ).simulateIcp;
