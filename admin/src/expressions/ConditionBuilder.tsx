import { useMemo, useState } from 'react';
import { Alert, Box } from '@mui/material';
import { useGetList } from 'react-admin';
import {
  defaultRuleProcessorCEL,
  type Field,
  QueryBuilder,
  type RuleGroupType,
  type RuleProcessor,
} from 'react-querybuilder';
import { formatQuery } from 'react-querybuilder/formatQuery';
import { parseCEL } from 'react-querybuilder/parseCEL';
import 'react-querybuilder/dist/query-builder.css';

interface Attribute {
  name: string;
  type: 'BOOL' | 'INT' | 'NUMBER' | 'STRING' | 'STRING_LIST';
  allowedValues: string[];
  description?: string;
  unit?: string;
}

const NUMERIC_OPERATORS = ['=', '!=', '<', '<=', '>', '>='].map((name) => ({ name, label: name }));
const STRING_OPERATORS = [
  { name: '=', label: 'is' },
  { name: '!=', label: 'is not' },
  { name: 'in', label: 'is one of' },
  { name: 'notIn', label: 'is not one of' },
  { name: 'contains', label: 'contains' },
  { name: 'beginsWith', label: 'begins with' },
];

function fieldFor(a: Attribute): Field {
  const base = { name: `account.${a.name}`, label: a.unit ? `${a.name} (${a.unit})` : a.name };
  switch (a.type) {
    case 'INT':
    case 'NUMBER':
      return { ...base, inputType: 'number', operators: NUMERIC_OPERATORS, defaultValue: 0 };
    case 'BOOL':
      return { ...base, valueEditorType: 'checkbox', operators: [{ name: '=', label: 'is' }], defaultValue: true };
    case 'STRING_LIST':
      return {
        ...base,
        operators: [{ name: 'contains', label: 'contains' }],
        ...(a.allowedValues.length
          ? { valueEditorType: 'select', values: a.allowedValues.map((v) => ({ name: v, label: v })) }
          : {}),
      };
    default:
      return {
        ...base,
        operators: STRING_OPERATORS,
        ...(a.allowedValues.length
          ? { valueEditorType: 'select', values: a.allowedValues.map((v) => ({ name: v, label: v })) }
          : {}),
      };
  }
}

const normal = (s: string) => s.replace(/\s+/g, '').replace(/'/g, '"').replace(/\.0\b/g, '');

/**
 * Simple conditions (comparisons joined by and/or) as a visual builder that
 * reads and writes the CEL text. An expression the builder cannot show
 * faithfully is left alone and said so.
 */
export default function ConditionBuilder({
  expression,
  onChange,
}: {
  expression: string;
  onChange: (text: string) => void;
}) {
  const { data: attributes = [] } = useGetList<Attribute & { id: string }>('attributeDefinitions', {
    pagination: { page: 1, perPage: 500 },
    sort: { field: 'name', order: 'ASC' },
  });
  const types = useMemo(() => new Map(attributes.map((a) => [`account.${a.name}`, a.type])), [attributes]);
  const fields = useMemo(() => attributes.map(fieldFor), [attributes]);

  // CEL keeps ints and doubles apart: a NUMBER attribute compares with a double literal.
  const ruleProcessor: RuleProcessor = (rule, options) => {
    const type = types.get(rule.field);
    const value = type === 'NUMBER' && /^-?\d+$/.test(String(rule.value)) ? `${rule.value}.0` : rule.value;
    if (type === 'STRING_LIST' && rule.operator === 'contains')
      return `${JSON.stringify(String(rule.value))} in ${rule.field}`;
    return defaultRuleProcessorCEL({ ...rule, value }, options);
  };
  const toText = (q: RuleGroupType) =>
    q.rules.length ? formatQuery(q, { format: 'cel', ruleProcessor, parseNumbers: true }) : '';

  const parsed = useMemo(() => {
    // `"x" in account.list` is how CEL asks whether a list holds a value; the parser knows `.contains`.
    const text = expression.replace(
      /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s+in\s+(account\.\w+)/g,
      (_, v, f) => `${f}.contains(${v})`,
    );
    return text.trim() ? parseCEL(text) : ({ combinator: 'and', rules: [] } as RuleGroupType);
  }, [expression]);
  const faithful = !expression.trim() || (parsed.rules.length > 0 && normal(toText(parsed)) === normal(expression));
  const [query, setQuery] = useState<RuleGroupType>(parsed);

  if (!faithful) {
    return (
      <Alert severity="info" sx={{ mt: 1 }}>
        This expression uses more than comparisons joined by and/or, so the builder cannot show it faithfully. Edit it
        as text.
      </Alert>
    );
  }
  return (
    <Box sx={{ mt: 1, overflowX: 'auto' }} data-testid="condition-builder">
      <QueryBuilder
        fields={fields}
        query={query}
        onQueryChange={(q) => {
          setQuery(q);
          onChange(toText(q));
        }}
        controlClassnames={{ queryBuilder: 'queryBuilder-branches' }}
      />
    </Box>
  );
}
