import { editableFields, type FieldSpec, typeOf } from '../resources/fields';

/**
 * How the form of each part of an ICP is laid out: groups of fields in the
 * order people fill them in, the important ones first. Fields not named here
 * (added to the API later) go in a last "More" group, so none is lost.
 */
export interface FormGroup {
  label: string;
  names: string[];
}

const GROUPS: Record<string, FormGroup[]> = {
  tiers: [
    { label: 'Tier', names: ['name', 'rank', 'kind', 'criteria'] },
    {
      label: 'Profile',
      names: ['description', 'action', 'focusShare', 'characteristics', 'valuePropositions', 'whyTheyBuy', 'examples'],
    },
  ],
  personas: [
    {
      label: 'Who they are',
      names: [
        'name',
        'buyingRoles',
        'jobTitles',
        'tierId',
        'seniority',
        'jobFunction',
        'description',
        'ageRange',
        'gender',
        'education',
        'experience',
        'geographies',
        'sectors',
        'companyContext',
        'appliesWhen',
      ],
    },
    {
      label: 'What they care about',
      names: ['painPoints', 'goals', 'challenges', 'focus', 'decisionCriteria', 'objections', 'quote', 'triggers'],
    },
    {
      label: 'How they buy',
      names: ['roleInPurchasing', 'budgetAuthority', 'timeToDecide', 'influencers', 'technologies', 'habits'],
    },
    { label: 'How to reach them', names: ['channels', 'media', 'contentInterests'] },
  ],
  useCasePatterns: [
    { label: 'Pattern', names: ['name', 'kind', 'industry', 'painPoints', 'useCases', 'keyMetrics', 'competitors'] },
  ],
  disqualifiers: [{ label: 'Disqualifier', names: ['name', 'expression', 'reason', 'category'] }],
  triggerEvents: [{ label: 'Trigger event', names: ['name', 'expression', 'reason', 'category'] }],
  scoringDimensions: [{ label: 'Dimension', names: ['name', 'max', 'description', 'factors'] }],
  scoringRules: [{ label: 'Rule', names: ['name', 'condition', 'points', 'description'] }],
  actionBands: [{ label: 'Band', names: ['name', 'minScore', 'action', 'description'] }],
};

/** The parent links a part's form never shows: the dialog or wizard sets them. */
export const PARENT_FIELDS = ['icpId', 'dimensionId'];

/**
 * The groups of a part's form with their fields; a last "More" group holds the rest. `parents`: the parent
 * links first (a page of its own, where the part is not opened from its ICP).
 */
export function formGroups(resource: string, parents = false): { label: string; fields: FieldSpec[] }[] {
  const all = editableFields(typeOf(resource));
  const fields = all.filter((f) => !PARENT_FIELDS.includes(f.name));
  const groups = (GROUPS[resource] ?? []).map((g, i) =>
    i === 0 && parents ? { ...g, names: [...PARENT_FIELDS, ...g.names] } : g,
  );
  const named = new Set(groups.flatMap((g) => g.names));
  const find = (n: string) => all.find((f) => f.name === n);
  const out = groups.map((g) => ({ label: g.label, fields: g.names.map(find).filter((f): f is FieldSpec => !!f) }));
  const rest = fields.filter((f) => !named.has(f.name));
  if (rest.length) out.push({ label: out.length ? 'More' : 'Details', fields: rest });
  return out;
}

/** The fields of a group by name, in the order given (the wizard's short forms). */
export function fieldsNamed(resource: string, names: string[]): FieldSpec[] {
  const fields = editableFields(typeOf(resource));
  return names.map((n) => fields.find((f) => f.name === n)).filter((f): f is FieldSpec => !!f);
}
