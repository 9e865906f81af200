import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { wordDiff } from './word-diff';
import { humanize } from '../resources/fields';

const IGNORED = new Set(['updatedAt', 'createdAt', 'workspaceId']);
const show = (v: unknown) =>
  v === undefined ? '' : v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v, null, 2);

/**
 * Two states of a record side by side, field by field; changed fields are
 * marked (and only those shown unless `all`).
 */
export function DiffView({
  left,
  right,
  leftLabel,
  rightLabel,
  all = false,
}: {
  left: Record<string, unknown> | null;
  right: Record<string, unknown> | null;
  leftLabel: string;
  rightLabel: string;
  all?: boolean;
}) {
  const keys = [...new Set([...Object.keys(left ?? {}), ...Object.keys(right ?? {})])].filter((k) => !IGNORED.has(k));
  const rows = keys
    .map((k) => ({
      k,
      a: left?.[k],
      b: right?.[k],
      changed: JSON.stringify(left?.[k] ?? null) !== JSON.stringify(right?.[k] ?? null),
    }))
    .filter((r) => all || r.changed);
  if (!rows.length) return <Typography color="text.secondary">No differences.</Typography>;
  const cell = {
    verticalAlign: 'top',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: 12,
    width: '42%',
  } as const;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="differences" data-testid="diff">
        <TableHead>
          <TableRow>
            <TableCell>Field</TableCell>
            <TableCell>{leftLabel}</TableCell>
            <TableCell>{rightLabel}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(({ k, a, b, changed }) => (
            <TableRow key={k} data-changed={changed || undefined}>
              <TableCell sx={{ verticalAlign: 'top', fontWeight: changed ? 600 : 400 }}>{humanize(k)}</TableCell>
              <TableCell sx={{ ...cell, bgcolor: changed ? 'rgba(244, 67, 54, 0.08)' : undefined }}>
                {show(a)}
              </TableCell>
              <TableCell sx={{ ...cell, bgcolor: changed ? 'rgba(76, 175, 80, 0.12)' : undefined }}>
                {show(b)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** What the server says changed in one record between two states of an ICP (icpChanges). */
export interface RecordChange {
  entityType: string;
  recordId: string;
  name: string;
  action: 'ADDED' | 'CHANGED' | 'REMOVED';
  fields: { field: string; before: unknown; after: unknown }[];
}

/** A record type as people say it. */
export const entityLabel = (type: string) =>
  (
    ({
      Icp: 'ICP',
      Attribute: 'Attribute',
      IcpVersion: 'Published version',
      AppUser: 'User',
      UseCasePattern: 'Use-case pattern',
      TriggerEvent: 'Trigger event',
      ScoringDimension: 'Scoring dimension',
      ScoringRule: 'Scoring rule',
      ActionBand: 'Action band',
      ExampleAccount: 'Example account',
      AttributeDefinition: 'Attribute',
      ApiKey: 'API key',
    }) as Record<string, string>
  )[type] ?? humanize(type);

const text = (v: unknown) =>
  v === null || v === undefined
    ? ''
    : typeof v === 'string'
      ? v
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? v.join(', ')
        : JSON.stringify(v);

/** Old → new; long texts word by word, the removed words struck through and the added ones marked. */
function OldNew({ before, after }: { before: unknown; after: unknown }) {
  const [a, b] = [text(before), text(after)];
  const parts = wordDiff(a, b);
  if (parts) {
    return (
      <Box component="span" data-testid="word-diff">
        {parts.map((part, i) =>
          part.removed ? (
            <Box component="del" key={i} sx={{ bgcolor: 'rgba(244, 67, 54, 0.15)' }}>
              {part.value}
            </Box>
          ) : part.added ? (
            <Box component="ins" key={i} sx={{ bgcolor: 'rgba(76, 175, 80, 0.2)', textDecoration: 'none' }}>
              {part.value}
            </Box>
          ) : (
            <span key={i}>{part.value}</span>
          ),
        )}
      </Box>
    );
  }
  return (
    <>
      <Box component="del" data-testid="before" sx={{ color: 'text.secondary' }}>
        {a || '(empty)'}
      </Box>
      {' → '}
      <Box component="ins" data-testid="after" sx={{ textDecoration: 'none', fontWeight: 500 }}>
        {b || '(empty)'}
      </Box>
    </>
  );
}

const VERB = { ADDED: 'added', CHANGED: 'changed', REMOVED: 'removed' } as const;

/** Changes between two states of an ICP, record by record, by name, each field old → new. */
export function ChangeList({ changes, empty }: { changes: RecordChange[]; empty: string }) {
  if (!changes.length) return <Typography color="text.secondary">{empty}</Typography>;
  return (
    <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="changes">
      {changes.map((c) => (
        <li key={`${c.entityType}:${c.recordId}`} data-action={c.action}>
          <Typography component="span" sx={{ fontWeight: 500 }}>
            {entityLabel(c.entityType)} “{c.name}” {VERB[c.action]}
          </Typography>
          {c.action === 'CHANGED' && (
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {c.fields.map((f) => (
                <li key={f.field} data-field={f.field}>
                  {humanize(f.field)}: <OldNew before={f.before} after={f.after} />
                </li>
              ))}
            </Box>
          )}
        </li>
      ))}
    </Box>
  );
}
