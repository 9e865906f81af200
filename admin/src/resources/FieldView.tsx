import { Box, Chip, Stack, Typography } from '@mui/material';
import {
  BooleanField,
  Labeled,
  NumberField,
  ReferenceField,
  SelectField,
  TextField,
  useRecordContext,
} from 'react-admin';
import { type FieldSpec, humanize } from './fields';

/** A list of strings as chips. */
export function Chips({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const values: string[] = record?.[source] ?? [];
  if (!values.length)
    return (
      <Typography variant="body2" color="text.secondary">
        —
      </Typography>
    );
  return (
    <Stack direction="row" flexWrap="wrap" gap={0.5}>
      {values.map((v, i) => (
        <Chip key={i} label={v} size="small" />
      ))}
    </Stack>
  );
}

/** A CEL expression, as code. */
export function Code({ source }: { source: string }) {
  const record = useRecordContext();
  const value = record?.[source];
  if (!value)
    return (
      <Typography variant="body2" color="text.secondary">
        —
      </Typography>
    );
  return (
    <Box
      component="code"
      sx={{ display: 'block', whiteSpace: 'pre-wrap', fontSize: 13, p: 1, bgcolor: 'action.hover', borderRadius: 1 }}
    >
      {String(value)}
    </Box>
  );
}

/** A list of small objects (labelled values, criteria, questions) as lines. */
function Objects({ spec }: { spec: FieldSpec }) {
  const record = useRecordContext();
  const rows: Record<string, unknown>[] = record?.[spec.name] ?? [];
  if (!rows.length)
    return (
      <Typography variant="body2" color="text.secondary">
        —
      </Typography>
    );
  return (
    <Box component="ul" sx={{ m: 0, pl: 2 }}>
      {rows.map((row, i) => (
        <li key={i}>
          <Typography variant="body2">
            {spec.of!.map((sub, j) => (
              <Box
                component="span"
                key={sub.name}
                sx={sub.kind === 'expression' ? { fontFamily: 'monospace' } : undefined}
              >
                {j > 0 && row[sub.name] != null ? ' — ' : ''}
                {row[sub.name] == null ? '' : String(row[sub.name])}
              </Box>
            ))}
          </Typography>
        </li>
      ))}
    </Box>
  );
}

function Json({ source }: { source: string }) {
  const record = useRecordContext();
  return (
    <Box component="pre" sx={{ m: 0, fontSize: 13, whiteSpace: 'pre-wrap' }}>
      {JSON.stringify(record?.[source] ?? null, null, 2)}
    </Box>
  );
}

/** How one field of a record reads on its page. */
export function FieldView({ spec }: { spec: FieldSpec }) {
  const label = humanize(spec.name);
  const view = (() => {
    switch (spec.kind) {
      case 'reference':
        return <ReferenceField source={spec.name} reference={spec.reference!} link="show" emptyText="—" />;
      case 'int':
      case 'float':
        return <NumberField source={spec.name} emptyText="—" />;
      case 'boolean':
        return <BooleanField source={spec.name} />;
      case 'enum':
        return <SelectField source={spec.name} choices={spec.choices} emptyText="—" />;
      case 'strings':
        return <Chips source={spec.name} />;
      case 'objects':
        return <Objects spec={spec} />;
      case 'expression':
        return <Code source={spec.name} />;
      case 'json':
      case 'object':
        return <Json source={spec.name} />;
      case 'password':
        return null;
      default:
        return <TextField source={spec.name} emptyText="—" sx={{ whiteSpace: 'pre-wrap' }} />;
    }
  })();
  return (
    view && (
      <Labeled label={label} fullWidth>
        {view}
      </Labeled>
    )
  );
}
