import {
  ArrayInput,
  AutocompleteInput,
  BooleanInput,
  NumberInput,
  PasswordInput,
  ReferenceInput,
  required,
  SelectArrayInput,
  SelectInput,
  SimpleFormIterator,
  TextArrayInput,
  TextInput,
} from 'react-admin';
import { Box, Typography } from '@mui/material';
import { ExpressionInput } from '../expressions/ExpressionInput';
import { type FieldSpec, humanize } from './fields';

const parseJson = (v: string) => {
  try {
    return v.trim() ? JSON.parse(v) : null;
  } catch {
    return v;
  }
};
const formatJson = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v, null, 2));
const validJson = (v: unknown) =>
  typeof v === 'string' && v.trim() ? 'Not valid JSON: check quotes, commas and braces' : undefined;

/** One input for one field of the schema, with its description as help. */
export function FieldInput({
  spec,
  source = spec.name,
  mode,
}: {
  spec: FieldSpec;
  source?: string;
  mode: 'create' | 'edit';
}) {
  const label = humanize(spec.name);
  const help = spec.description;
  const validate = spec.required ? required() : undefined;
  switch (spec.kind) {
    case 'expression':
      return <ExpressionInput source={source} label={label} kind={spec.expressionKind} helperText={help} />;
    case 'reference':
      return (
        <ReferenceInput source={source} reference={spec.reference!}>
          <AutocompleteInput label={label} validate={validate} helperText={help} fullWidth />
        </ReferenceInput>
      );
    case 'enum':
      return <SelectInput source={source} label={label} choices={spec.choices} validate={validate} helperText={help} />;
    case 'int':
      return <NumberInput source={source} label={label} validate={validate} helperText={help} step={1} />;
    case 'float':
      return <NumberInput source={source} label={label} validate={validate} helperText={help} />;
    case 'boolean':
      return <BooleanInput source={source} label={label} helperText={help} />;
    case 'password':
      return mode === 'create' ? (
        <PasswordInput
          source={source}
          label={label}
          validate={required()}
          helperText={help ?? 'At least 12 characters.'}
        />
      ) : null;
    case 'strings':
      return spec.choices ? (
        <SelectArrayInput source={source} label={label} choices={spec.choices} helperText={help} />
      ) : (
        <TextArrayInput source={source} label={label} helperText={help ?? 'Type an entry and press Enter.'} fullWidth />
      );
    case 'objects':
      return (
        <ArrayInput source={source} label={label} helperText={help}>
          <SimpleFormIterator inline disableReordering={false}>
            {spec.of!.map((sub) => (
              <FieldInput key={sub.name} spec={sub} mode={mode} />
            ))}
          </SimpleFormIterator>
        </ArrayInput>
      );
    case 'object':
      return <ObjectInput spec={spec} source={source} mode={mode} />;
    case 'json':
      return (
        <TextInput
          source={source}
          label={label}
          multiline
          fullWidth
          minRows={3}
          parse={parseJson}
          format={formatJson}
          validate={validJson}
          helperText={help ?? 'JSON'}
          sx={{ '& textarea': { fontFamily: 'monospace' } }}
        />
      );
    case 'text':
      return <TextInput source={source} label={label} multiline fullWidth validate={validate} helperText={help} />;
    default:
      return <TextInput source={source} label={label} fullWidth validate={validate} helperText={help} />;
  }
}

/** All the editable fields of a record type, in the schema's order, except those left out. */
export function GenericInputs({
  fields,
  mode,
  omit = [],
}: {
  fields: FieldSpec[];
  mode: 'create' | 'edit';
  omit?: string[];
}) {
  return (
    <>
      {fields
        .filter((f) => !omit.includes(f.name))
        .map((f) => (
          <FieldInput key={f.name} spec={f} mode={mode} />
        ))}
    </>
  );
}

// Recursive with FieldInput (a structured value holds fields), so it lives in this file.
/** One structured value (a part's provenance): its fields side by side under a heading. */
function ObjectInput({ spec, source, mode }: { spec: FieldSpec; source: string; mode: 'create' | 'edit' }) {
  return (
    <Box sx={{ width: '100%', mt: 1 }}>
      <Typography variant="subtitle2">{humanize(spec.name)}</Typography>
      {spec.description && (
        <Typography variant="caption" color="text.secondary">
          {spec.description}
        </Typography>
      )}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, alignItems: 'baseline' }}>
        {spec.of!.map((sub) => (
          <FieldInput key={sub.name} spec={sub} source={`${source}.${sub.name}`} mode={mode} />
        ))}
      </Box>
    </Box>
  );
}
