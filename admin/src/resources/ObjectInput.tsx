import { Box, Typography } from '@mui/material';
import { FieldInput } from './GenericInputs';
import { FieldSpec, humanize } from './fields';

/** One structured value (a part's provenance): its fields side by side under a heading. */
export function ObjectInput({ spec, source, mode }: { spec: FieldSpec; source: string; mode: 'create' | 'edit' }) {
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
