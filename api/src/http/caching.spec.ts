import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType, parse } from 'graphql';
import { PROJECT_ROOT } from '../paths';
import { cachePolicy, IMMUTABLE, LIVE_FIELDS, NO_STORE, PUBLISHED_TYPES, REVALIDATE, SNAPSHOT_TYPES } from './caching';

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
        'attributes bands changelog disqualifiers exampleAccounts icp icpId id personas publishedAt publishedBy publishedById scoringDimensions scoringRules snapshot snapshotHash snapshotText tiers triggerEvents useCasePatterns version workspaceId',
      Provenance: 'derived document reasoning section',
      RuleHit: 'expression name points provenance reason ruleId',
      ScoreBand: 'action minScore name provenance',
      ScoreCheck: 'dimension error expression held kind missingAttributes name partId points provenance',
      TierMatch: 'conditions held tier total',
      TierRef: 'id name partId provenance rank',
    };
    // Published parts are built from the snapshot field by field (versioning/published.ts); each has one live field,
    // its draft, and every one of the schema is listed.
    const published = Object.keys(schema.getTypeMap()).filter((n) => n.startsWith('Published'));
    expect([...PUBLISHED_TYPES].sort()).toEqual(published.sort());
    for (const name of published) {
      const type = schema.getType(name);
      if (isObjectType(type) && 'draft' in type.getFields()) expect(LIVE_FIELDS).toContain(`${name}.draft`);
    }
    const fields = Object.fromEntries(
      [...SNAPSHOT_TYPES]
        .filter((n) => !n.startsWith('Published'))
        .map((name) => {
          const type = schema.getType(name);
          if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
          return [name, Object.keys(type.getFields()).sort().join(' ')];
        }),
    );
    expect(fields).toEqual(reviewed);
    for (const live of [...LIVE_FIELDS].filter((f) => !f.startsWith('Published')))
      expect(reviewed[live.split('.')[0]].split(' ')).toContain(live.split('.')[1]);
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
    expect(policy(score('score tier { name } ... on FitScore { band { name } } explanation { partId held }'))).toBe(
      IMMUTABLE,
    );
    // Personas and use cases are the version's own parts now: cacheable, but not their live draft.
    expect(policy(score('score personas { name tier { name } }'))).toBe(IMMUTABLE);
    expect(policy(score('score personas { name draft { name } }'))).toBe(NO_STORE);
    expect(policy(score('score icpSlug'))).toBe(NO_STORE);
    expect(policy(`{ icpVersion(icp: "${ID}", version: 1) { version } } mutation { logout }`)).toBe(NO_STORE);
    expect(
      policy(`{ a: icpVersion(icp: "${ID}", version: 1) { version } b: icpVersion(icp: "x", version: 1) { version } }`),
    ).toBe(REVALIDATE);
  });
});
