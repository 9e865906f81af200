import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType, parse } from 'graphql';
import { PROJECT_ROOT } from '../paths';
import { cachePolicy, IMMUTABLE, LIVE_FIELDS, NO_STORE, REVALIDATE, SNAPSHOT_TYPES } from './caching';

const schema = buildSchema(fs.readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));
const ID = '3f2c1a52-8a1e-4a55-9a57-6a8c2f0e9b11';
const policy = (query: string, variables?: Record<string, unknown>) => cachePolicy(schema, parse(query), variables);

describe('which GET answers may be cached', () => {
  it('pins the fields of the snapshot types: a new one must be checked to come from the published snapshot', () => {
    // Reviewed: each reads the stored version or the score computed from it (LIVE_FIELDS aside).
    const reviewed: Record<string, string> = {
      ConditionResult: 'attributes error outcome text',
      DimensionScore: 'hits max name score',
      FitScore:
        'accountKey action band decidingAttributes dimensions disqualified disqualifiers explanation icpSlug icpVersion maxScore missingAttributes nearestTier personas score tier tierMatches triggers undetermined useCases',
      IcpVersion:
        'changelog icpId id publishedAt publishedBy publishedById snapshot snapshotHash snapshotText version workspaceId',
      Provenance: 'derived document reasoning section',
      RuleHit: 'expression id name points provenance reason',
      ScoreBand: 'action minScore name provenance',
      ScoreCheck: 'dimension error expression held id kind missingAttributes name points provenance',
      TierMatch: 'conditions held tier total',
      TierRef: 'id name provenance rank',
    };
    const fields = Object.fromEntries(
      [...SNAPSHOT_TYPES].map((name) => {
        const type = schema.getType(name);
        if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
        return [name, Object.keys(type.getFields()).sort().join(' ')];
      }),
    );
    expect(fields).toEqual(reviewed);
    for (const live of LIVE_FIELDS) expect(reviewed[live.split('.')[0]].split(' ')).toContain(live.split('.')[1]);
  });

  it('a numbered version by id is immutable, by slug revalidated, without a number not stored', () => {
    expect(policy(`{ icpVersion(icp: "${ID}", version: 2) { version snapshot } }`)).toBe(IMMUTABLE);
    expect(policy(`query($v: Int) { icpVersion(icp: "itsm", version: $v) { version } }`, { v: 2 })).toBe(REVALIDATE);
    expect(policy(`query($v: Int) { icpVersion(icp: "${ID}", version: $v) { version } }`, {})).toBe(NO_STORE);
    expect(policy(`{ icpVersion(icp: "${ID}") { version } }`)).toBe(NO_STORE);
  });

  it('follows fragments, and refuses what reaches a draft type or a live field', () => {
    const score = (sel: string) =>
      `query { fitScore(icp: "${ID}", version: 1, account: { key: "a", attributes: {} }) { ...F } } fragment F on FitScore { ${sel} }`;
    expect(policy(score('score tier { name } ... on FitScore { band { name } } explanation { id held }'))).toBe(
      IMMUTABLE,
    );
    expect(policy(score('score personas { name }'))).toBe(NO_STORE);
    expect(policy(score('score icpSlug'))).toBe(NO_STORE);
    expect(policy(`{ icpVersion(icp: "${ID}", version: 1) { version } } mutation { logout }`)).toBe(NO_STORE);
    expect(
      policy(`{ a: icpVersion(icp: "${ID}", version: 1) { version } b: icpVersion(icp: "x", version: 1) { version } }`),
    ).toBe(REVALIDATE);
  });
});
