import { checkInput, deriveShape, type Rule } from '../../core/inputs';
import { type FieldProblem, ValidationError } from '../../core/errors';
import { AttributeDefinitionInput } from '../attribute/attribute.inputs';
import { DisqualifierInput } from '../disqualifier/disqualifier.inputs';
import { ExampleAccountInput } from '../example-account/example-account.inputs';
import { IcpInput } from '../icp/icp.inputs';
import { PersonaInput } from '../persona/persona.inputs';
import { ActionBandInput, ScoringDimensionInput, ScoringRuleInput } from '../scoring-model/scoring-model.inputs';
import { TierInput } from '../tier/tier.inputs';
import { TriggerEventInput } from '../trigger-event/trigger-event.inputs';
import { UseCasePatternInput } from '../use-case-pattern/use-case-pattern.inputs';
import { WorkspaceInput } from '../workspace/workspace.inputs';

/**
 * The ICP file: a whole ICP as one YAML document. Each section holds the
 * fields of that entity's GraphQL input, without the ids that tie it to its
 * ICP (the file gives them by nesting); a persona names its tier by `tier`.
 * The demo data is written in this format.
 */
type Plain = Record<string, unknown>;

export interface IcpFile extends Plain {
  tiers?: Plain[];
  personas?: (Plain & { tier?: string | null })[];
  useCasePatterns?: Plain[];
  disqualifiers?: Plain[];
  triggerEvents?: Plain[];
  exampleAccounts?: Plain[];
  scoring?: { dimensions?: (Plain & { rules?: Plain[] })[]; bands?: Plain[] };
}

export interface WorkspaceFile extends Plain {
  attributes?: Plain[];
}

const ICP_SECTIONS = [
  'tiers',
  'personas',
  'useCasePatterns',
  'disqualifiers',
  'triggerEvents',
  'exampleAccounts',
  'scoring',
];
const TEXT: Rule = { kind: 'text', max: 200 };

export const FileShapes = {
  icp: IcpInput,
  tier: deriveShape(TierInput, ['icpId']),
  persona: deriveShape(PersonaInput, ['icpId', 'tierId', 'position'], { tier: TEXT }),
  useCasePattern: deriveShape(UseCasePatternInput, ['icpId', 'position']),
  disqualifier: deriveShape(DisqualifierInput, ['icpId', 'position']),
  triggerEvent: deriveShape(TriggerEventInput, ['icpId', 'position']),
  dimension: deriveShape(ScoringDimensionInput, ['icpId', 'position'], { rules: { kind: 'json' } }),
  rule: deriveShape(ScoringRuleInput, ['dimensionId', 'position']),
  band: deriveShape(ActionBandInput, ['icpId']),
  exampleAccount: deriveShape(ExampleAccountInput, ['icpId', 'position']),
  workspace: WorkspaceInput,
  attribute: AttributeDefinitionInput,
};

const check = (shape: Function, value: unknown, path: string) => checkInput(shape, value, 'create', path);

function listOf(value: unknown, path: string, problems: FieldProblem[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: 'must be a list' });
    return [];
  }
  return value;
}

/** Every problem in an ICP file, each with its path in the file. */
export function checkIcpFile(doc: unknown, file = ''): FieldProblem[] {
  const at = (p: string) => (file ? `${file}: ${p}` : p);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return [{ path: at('(document)'), message: 'must be a mapping of ICP fields' }];
  const d = doc as IcpFile;
  const problems: FieldProblem[] = [];
  const icpFields = Object.fromEntries(Object.entries(d).filter(([k]) => !ICP_SECTIONS.includes(k)));
  problems.push(
    ...check(FileShapes.icp, icpFields, at('')).map((p) => ({ ...p, path: p.path.replace(/^(.*: )?\./, '$1') })),
  );
  const tiers = listOf(d.tiers, at('tiers'), problems);
  tiers.forEach((t, i) => problems.push(...check(FileShapes.tier, t, at(`tiers[${i}]`))));
  const tierNames = new Set(tiers.map((t) => (t as Plain)?.name));
  listOf(d.personas, at('personas'), problems).forEach((p, i) => {
    problems.push(...check(FileShapes.persona, p, at(`personas[${i}]`)));
    const tier = (p as Plain)?.tier;
    if (typeof tier === 'string' && !tierNames.has(tier)) {
      problems.push({ path: at(`personas[${i}].tier`), message: `no tier named "${tier}" in this file` });
    }
  });
  listOf(d.useCasePatterns, at('useCasePatterns'), problems).forEach((p, i) =>
    problems.push(...check(FileShapes.useCasePattern, p, at(`useCasePatterns[${i}]`))),
  );
  listOf(d.disqualifiers, at('disqualifiers'), problems).forEach((p, i) =>
    problems.push(...check(FileShapes.disqualifier, p, at(`disqualifiers[${i}]`))),
  );
  listOf(d.triggerEvents, at('triggerEvents'), problems).forEach((p, i) =>
    problems.push(...check(FileShapes.triggerEvent, p, at(`triggerEvents[${i}]`))),
  );
  const bandNames = new Set(Array.isArray(d.scoring?.bands) ? d.scoring.bands.map((b) => b?.name) : []);
  listOf(d.exampleAccounts, at('exampleAccounts'), problems).forEach((p, i) => {
    problems.push(...check(FileShapes.exampleAccount, p, at(`exampleAccounts[${i}]`)));
    const { expectedTier, expectedBand } = (p ?? {}) as Plain;
    // "none": the account must get no tier (no band).
    if (typeof expectedTier === 'string' && expectedTier !== 'none' && !tierNames.has(expectedTier))
      problems.push({
        path: at(`exampleAccounts[${i}].expectedTier`),
        message: `no tier named "${expectedTier}" in this file`,
      });
    if (typeof expectedBand === 'string' && expectedBand !== 'none' && !bandNames.has(expectedBand))
      problems.push({
        path: at(`exampleAccounts[${i}].expectedBand`),
        message: `no band named "${expectedBand}" in this file`,
      });
  });
  if (d.scoring !== undefined && d.scoring !== null) {
    if (typeof d.scoring !== 'object' || Array.isArray(d.scoring)) {
      problems.push({ path: at('scoring'), message: 'must be a mapping with dimensions and bands' });
    } else {
      for (const key of Object.keys(d.scoring)) {
        if (key !== 'dimensions' && key !== 'bands')
          problems.push({ path: at(`scoring.${key}`), message: 'unknown field; allowed: dimensions, bands' });
      }
      listOf(d.scoring.dimensions, at('scoring.dimensions'), problems).forEach((dim, i) => {
        problems.push(...check(FileShapes.dimension, dim, at(`scoring.dimensions[${i}]`)));
        listOf((dim as Plain)?.rules, at(`scoring.dimensions[${i}].rules`), problems).forEach((r, j) =>
          problems.push(...check(FileShapes.rule, r, at(`scoring.dimensions[${i}].rules[${j}]`))),
        );
      });
      listOf(d.scoring.bands, at('scoring.bands'), problems).forEach((b, i) =>
        problems.push(...check(FileShapes.band, b, at(`scoring.bands[${i}]`))),
      );
    }
  }
  problems.push(...duplicates(d, at));
  return problems;
}

/** Names are unique within a section (rules: within their dimension), as are tier ranks and band scores. */
function duplicates(d: IcpFile, at: (p: string) => string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const unique = (rows: unknown, path: string, field = 'name') => {
    if (!Array.isArray(rows)) return;
    const seen = new Map<unknown, number>();
    rows.forEach((r, i) => {
      const v = (r as Plain)?.[field];
      if (v === undefined || v === null) return;
      if (seen.has(v))
        problems.push({
          path: at(`${path}[${i}].${field}`),
          message: `${JSON.stringify(v)} is already used by ${path}[${seen.get(v)}]`,
        });
      else seen.set(v, i);
    });
  };
  for (const key of [
    'tiers',
    'personas',
    'useCasePatterns',
    'disqualifiers',
    'triggerEvents',
    'exampleAccounts',
  ] as const)
    unique(d[key], key);
  unique(d.tiers, 'tiers', 'rank');
  const scoring = d.scoring && typeof d.scoring === 'object' ? d.scoring : {};
  unique(scoring.dimensions, 'scoring.dimensions');
  if (Array.isArray(scoring.dimensions))
    scoring.dimensions.forEach((dim, i) => unique((dim as Plain)?.rules, `scoring.dimensions[${i}].rules`));
  unique(scoring.bands, 'scoring.bands');
  unique(scoring.bands, 'scoring.bands', 'minScore');
  return problems;
}

export function assertIcpFile(doc: unknown, file = ''): asserts doc is IcpFile {
  const problems = checkIcpFile(doc, file);
  if (problems.length) throw new ValidationError(problems);
}

export function checkWorkspaceFile(doc: unknown, file = ''): FieldProblem[] {
  const at = (p: string) => (file ? `${file}: ${p}` : p);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return [{ path: at('(document)'), message: 'must be a mapping' }];
  const { attributes, ...ws } = doc as WorkspaceFile;
  const problems = checkInput(FileShapes.workspace, ws, 'create', at('')).map((p) => ({
    ...p,
    path: p.path.replace(/^(.*: )?\./, '$1'),
  }));
  listOf(attributes, at('attributes'), problems).forEach((a, i) =>
    problems.push(...checkInput(FileShapes.attribute, a, 'create', at(`attributes[${i}]`))),
  );
  return problems;
}
