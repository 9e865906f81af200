import type { ReactNode } from 'react';
import { Box, Button, Chip, IconButton, Paper, Stack, Tooltip, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import EditIcon from '@mui/icons-material/Edit';
import type { FieldSpec } from '../resources/fields';
import { humanize } from '../resources/fields';
import { type AttributeInfo, conditionInWords, pointsInWords } from './cel-words';

/**
 * The pieces the ICP overview is made of: sections, cards, lines of text,
 * conditions in words. Each shows nothing when its value is empty, so a
 * page holds only what the ICP says.
 */
export type Rec = Record<string, any>;

export const isEmpty = (v: unknown) =>
  v == null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Object.keys(v).length);

/** A section of the document, with its "Add" button for those who may edit. */
export function Section({
  id,
  title,
  count,
  addLabel,
  onAdd,
  children,
}: {
  id: string;
  title: string;
  count?: number;
  addLabel?: string;
  onAdd?: () => void;
  children: ReactNode;
}) {
  return (
    <Box component="section" aria-labelledby={`${id}-title`} sx={{ minWidth: 0 }}>
      <Stack direction="row" alignItems="center" flexWrap="wrap" gap={1} sx={{ mb: 1 }}>
        <Typography variant="h6" component="h2" id={`${id}-title`}>
          {title}
          {count != null && (
            <Typography component="span" color="text.secondary" sx={{ ml: 1 }}>
              ({count})
            </Typography>
          )}
        </Typography>
        {onAdd && (
          <Button size="small" startIcon={<AddIcon />} onClick={onAdd}>
            {addLabel}
          </Button>
        )}
      </Stack>
      {children}
    </Box>
  );
}

/** Cards that wrap to the window: several side by side on a laptop, one a row on a phone. */
export function Cards({ children, min = 280 }: { children: ReactNode; min?: number }) {
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: `repeat(auto-fill, minmax(min(100%, ${min}px), 1fr))` }}>
      {children}
    </Box>
  );
}

export function Card({
  title,
  subtitle,
  onEdit,
  editLabel,
  children,
  testId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  onEdit?: () => void;
  editLabel?: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <Paper variant="outlined" sx={{ p: 2, minWidth: 0, overflowWrap: 'anywhere' }} data-testid={testId}>
      <Stack direction="row" alignItems="flex-start" gap={1}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="body2" color="text.secondary">
              {subtitle}
            </Typography>
          )}
        </Box>
        {onEdit && (
          <Tooltip title={editLabel}>
            <IconButton size="small" onClick={onEdit} aria-label={editLabel}>
              <EditIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
      </Stack>
      <Stack spacing={1} sx={{ mt: 1 }}>
        {children}
      </Stack>
    </Paper>
  );
}

/** A labelled piece of prose. */
export function Text({ label, value }: { label?: string; value: unknown }) {
  if (isEmpty(value)) return null;
  return (
    <Box>
      {label && <Label>{label}</Label>}
      <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
        {String(value)}
      </Typography>
    </Box>
  );
}

const Label = ({ children }: { children: ReactNode }) => (
  <Typography variant="caption" color="text.secondary" component="div" sx={{ fontWeight: 500 }}>
    {children}
  </Typography>
);

/** A list of short lines as bullets. */
export function Bullets({ label, items }: { label?: string; items?: ReactNode[] | null }) {
  if (!items?.length) return null;
  return (
    <Box>
      {label && <Label>{label}</Label>}
      <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
        {items.map((x, i) => (
          <Typography component="li" variant="body2" key={i}>
            {x}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}

export function Chips({ label, items }: { label?: string; items?: string[] | null }) {
  if (!items?.length) return null;
  return (
    <Box>
      {label && <Label>{label}</Label>}
      <Stack direction="row" flexWrap="wrap" gap={0.5}>
        {items.map((x, i) => (
          <Chip key={i} label={x} size="small" />
        ))}
      </Stack>
    </Box>
  );
}

/** CEL as code, where words cannot say it exactly. */
const Cel = ({ children }: { children: string }) => (
  <Box
    component="code"
    sx={{ fontSize: 13, bgcolor: 'action.hover', px: 0.5, borderRadius: 0.5, wordBreak: 'break-word' }}
  >
    {children}
  </Box>
);

/** A condition in words, one line per condition of its `&&` chain; the CEL on hover. */
export function Conditions({
  cel,
  catalogue,
  label,
}: {
  cel?: string | null;
  catalogue: AttributeInfo[];
  label?: string;
}) {
  if (!cel?.trim()) return null;
  const phrases = conditionInWords(cel, catalogue);
  const line = (p: (typeof phrases)[number]) =>
    p.words ? (
      <span title={p.cel} data-testid="condition-words">
        {p.text}
      </span>
    ) : (
      <Cel>{p.cel}</Cel>
    );
  if (phrases.length === 1)
    return (
      <Box>
        {label && <Label>{label}</Label>}
        <Typography variant="body2">{line(phrases[0])}</Typography>
      </Box>
    );
  return <Bullets label={label} items={phrases.map(line)} />;
}

export function Points({ cel, catalogue }: { cel: string; catalogue: AttributeInfo[] }) {
  const p = pointsInWords(cel, catalogue);
  return p.words ? <span title={p.cel}>{p.text}</span> : <Cel>{p.cel}</Cel>;
}

/** A small object of a list (a criterion, a labelled value, a question) as one line. */
function objectLine(row: Rec, of: FieldSpec[], catalogue: AttributeInfo[]): ReactNode {
  if (of.some((f) => f.name === 'label') && of.some((f) => f.name === 'value'))
    return `${row.label ?? ''}: ${row.value ?? ''}`;
  const parts = of.filter((f) => !isEmpty(row[f.name]));
  return (
    <>
      {parts.map((f, i) => (
        <span key={f.name}>
          {i > 0 && ' — '}
          {f.kind === 'expression'
            ? conditionInWords(String(row[f.name]), catalogue).map((p, j) => (
                <span key={j}>
                  {j > 0 && ', '}
                  {p.words ? <span title={p.cel}>{p.text}</span> : <Cel>{p.cel}</Cel>}
                </span>
              ))
            : String(row[f.name])}
        </span>
      ))}
    </>
  );
}

/** Any field of a record as the overview shows it (nothing when empty). */
export function FieldBlock({ spec, record, catalogue }: { spec: FieldSpec; record: Rec; catalogue: AttributeInfo[] }) {
  const value = record[spec.name];
  if (isEmpty(value)) return null;
  const label = humanize(spec.name);
  switch (spec.kind) {
    case 'strings':
      return <Bullets label={label} items={value as string[]} />;
    case 'objects':
      return <Bullets label={label} items={(value as Rec[]).map((row) => objectLine(row, spec.of!, catalogue))} />;
    case 'expression':
      return <Conditions label={label} cel={value as string} catalogue={catalogue} />;
    case 'object':
    case 'json':
    case 'password':
      return null;
    case 'boolean':
      return <Text label={label} value={value ? 'yes' : 'no'} />;
    case 'enum':
      return <Text label={label} value={String(value).toLowerCase().replace(/_/g, ' ')} />;
    default:
      return <Text label={label} value={value} />;
  }
}
