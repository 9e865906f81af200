import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
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

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** A JSON Patch (e.g. draft against a published version) as readable lines. */
export function PatchView({ patch }: { patch: PatchOp[] }) {
  if (!patch.length)
    return <Typography color="text.secondary">No differences: the draft is the published version.</Typography>;
  const verb: Record<string, string> = {
    add: 'added',
    remove: 'removed',
    replace: 'changed to',
    move: 'moved',
    copy: 'copied',
  };
  return (
    <Box component="ul" sx={{ m: 0, pl: 2, fontSize: 13 }} data-testid="patch">
      {patch.map((p, i) => (
        <li key={i}>
          <Box component="code" sx={{ fontSize: 12 }}>
            {p.path}
          </Box>{' '}
          {verb[p.op] ?? p.op}
          {p.value !== undefined && (
            <Box component="span" sx={{ fontFamily: 'monospace', fontSize: 12, color: 'success.dark' }}>
              {' '}
              {typeof p.value === 'string' ? JSON.stringify(p.value) : JSON.stringify(p.value).slice(0, 300)}
            </Box>
          )}
        </li>
      ))}
    </Box>
  );
}
