import path from 'node:path';
import { getMetadataStorage } from 'type-graphql';
import { type Rule, rulesOf } from '../../core/inputs';
import { PROJECT_ROOT } from '../../paths';
import { Icp } from '../icp/icp.entity';
import { type IcpPart, partsUnder } from '../icp/icp-parts';
import { fileShape, setAt } from './icp-file';

/**
 * The JSON Schema of the ICP file, derived from the same input rules the
 * server checks, so editors validate and complete what the server accepts.
 * `npm run schema` writes it to schema/icp.schema.json (committed; a test
 * checks it is current). What needs the workspace (expressions, attribute
 * names) and references between records are checked by the server only.
 */
type Schema = Record<string, unknown>;

export const ICP_SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'icp.schema.json');

function descriptions(entity: Function): Map<string, string> {
  const fields = getMetadataStorage().fields.filter(
    (f) => f.target === entity || Object.prototype.isPrototypeOf.call(f.target, entity),
  );
  return new Map(fields.filter((f) => f.description).map((f) => [f.name, f.description!]));
}

const nullable = (s: Schema, required: boolean): Schema => {
  if (required) return s;
  if (s.enum) return { ...s, enum: [...(s.enum as unknown[]), null] };
  return { ...s, type: [s.type, 'null'] };
};

function ruleSchema(rule: Rule): Schema {
  switch (rule.kind) {
    case 'text':
      return {
        type: 'string',
        maxLength: rule.max ?? 10_000,
        ...(rule.pattern ? { pattern: rule.pattern.source } : rule.required ? { pattern: '\\S' } : {}),
      };
    case 'textList':
      return {
        type: 'array',
        items: { type: 'string', maxLength: rule.maxLength ?? 2000 },
        ...(rule.maxItems !== undefined ? { maxItems: rule.maxItems } : {}),
      };
    case 'int':
    case 'float':
      return {
        type: rule.kind === 'int' ? 'integer' : 'number',
        ...(rule.min !== undefined ? { minimum: rule.min } : {}),
        ...(rule.max !== undefined ? { maximum: rule.max } : {}),
      };
    case 'bool':
      return { type: 'boolean' };
    case 'enum':
      return rule.list ? { type: 'array', items: { enum: [...rule.values] } } : { enum: [...rule.values] };
    case 'item':
      return objectSchema(rule.of());
    case 'items':
      return {
        type: 'array',
        items: objectSchema(rule.of()),
        ...(rule.maxItems !== undefined ? { maxItems: rule.maxItems } : {}),
      };
    case 'json':
      return { type: 'object' };
    case 'id':
      return { type: 'string', format: 'uuid' };
  }
}

function objectSchema(
  shape: Function,
  entity?: Function,
  extra: Record<string, Schema> = {},
  notes: Record<string, string> = {},
): Schema {
  const described = entity ? descriptions(entity) : new Map<string, string>();
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [key, rule] of rulesOf(shape)) {
    if (extra[key]) continue;
    const isRequired = 'required' in rule && !!rule.required;
    if (isRequired) required.push(key);
    const description = notes[key] ?? described.get(key);
    properties[key] = { ...(description ? { description } : {}), ...nullable(ruleSchema(rule), isRequired) };
  }
  Object.assign(properties, extra);
  return { type: 'object', additionalProperties: false, ...(required.length ? { required } : {}), properties };
}

const EXPRESSION = "A CEL expression over `account`, checked against the workspace's attribute catalogue on import.";
const list = (items: Schema, description: string): Schema => ({ description, type: ['array', 'null'], items });

/** What the file says of a part's list, and of some of its fields, beyond the input's descriptions. */
const NOTES: Record<string, { list: string; fields?: Record<string, string> }> = {
  Tier: {
    list: 'Tiers and segments, matched by name; rank 1 = best.',
    fields: { criteria: `${EXPRESSION} The tier matches when it holds.` },
  },
  Persona: {
    list: 'Buyer personas, matched by name.',
    fields: { tier: 'The name of the tier or segment this persona belongs to (omit: the whole ICP).' },
  },
  UseCasePattern: { list: 'Use-case patterns, matched by name.' },
  Disqualifier: {
    list: 'Disqualifiers (anti-ICP), matched by name.',
    fields: { expression: `${EXPRESSION} Omitted: a check for the rep.` },
  },
  TriggerEvent: { list: 'Trigger events, matched by name.', fields: { expression: EXPRESSION } },
  ScoringDimension: { list: 'Scoring dimensions, matched by name.' },
  ScoringRule: {
    list: 'Rules, matched by name within their dimension.',
    fields: {
      condition: `${EXPRESSION} The rule gives its points when it holds; default "true".`,
      points: 'A CEL expression giving a number, e.g. "3" or "account.useCaseFit".',
    },
  },
  ActionBand: {
    list: 'Action bands, matched by name; the band with the highest minScore not above the score applies.',
  },
  ExampleAccount: {
    list: 'Accounts with the outcome they must get; publishing refuses a draft where one fails.',
    fields: {
      attributes: 'Attribute name → value, as a client tool sends them (names and types from the attribute catalogue).',
    },
  },
};
/** Keys that group lists (`scoring`). */
const GROUPS: Record<string, string> = {
  scoring: 'The scoring model: dimensions with their rules, and action bands.',
};

/** The list of a part's records, each with its children's lists. */
function partList(part: IcpPart): Schema {
  const type = part.entity.name;
  const notes = NOTES[type] ?? { list: `${type} records, matched by name.` };
  const children = Object.fromEntries(partsUnder(type).map((c) => [c.section, partList(c)]));
  return list(objectSchema(fileShape(type), part.entity, children, notes.fields), notes.list);
}

export function icpJsonSchema(): Schema {
  const icp = objectSchema(
    fileShape('Icp'),
    Icp,
    {},
    { slug: 'Identifies the ICP: an import changes the draft of the ICP with this slug, or creates it.' },
  );
  const properties: Schema = { ...(icp.properties as Schema) };
  for (const part of partsUnder()) {
    const [group, ...rest] = part.section.split('.');
    if (rest.length)
      properties[group] ??= {
        description: GROUPS[group],
        type: ['object', 'null'],
        additionalProperties: false,
        properties: {},
      };
    setAt(properties, rest.length ? `${group}.properties.${rest.join('.')}` : group, partList(part));
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://icp-registry.local/schema/icp.schema.json',
    title: 'ICP file',
    description:
      'A whole Ideal Customer Profile as one YAML document (docs/icp-file.md). Records are matched by name on import; their order in a list is their order in the ICP.',
    ...icp,
    properties,
  };
}

export const printedIcpSchema = () => `${JSON.stringify(icpJsonSchema(), null, 2)}\n`;
