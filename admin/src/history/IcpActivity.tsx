import { Alert, Box, Chip, Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { gql } from '../providers/graphql';
import { RESOURCES } from '../resources/registry';
import { typeOf } from '../resources/fields';
import { entityLabel } from './DiffView';
import { actionColor, when } from './RecordHistory';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

type Entry = Selected<
  G.Revision,
  'chainIndex' | 'entityType' | 'entityId' | 'action' | 'actorLabel' | 'at' | 'reason'
> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** The console page of a record of this type, when it has one. */
const resourceOf = (type: string) => RESOURCES.find((r) => typeOf(r.name) === type)?.name;
const nameOf = (e: Entry) => {
  const r = e.after ?? e.before ?? {};
  if (e.entityType === 'IcpVersion') return `version ${String(r.version)}`;
  return String(r.name ?? r.title ?? r.slug ?? e.entityId);
};

/**
 * Everything that happened to an ICP, newest first: its own record, every
 * part (tiers, personas, rules, …) and every publish, each linked to its record.
 */
export function IcpActivity({ icpId }: { icpId: string }) {
  const { data, error } = useQuery({
    queryKey: ['history', 'icp', icpId],
    queryFn: () =>
      gql<{ history: Entry[] }>(
        `query($id: ID!) { history(filter: { icpId: $id }, limit: 200) { chainIndex entityType entityId action actorLabel at reason before after } }`,
        { id: icpId },
      ).then((d) => d.history),
  });
  if (error) return <Alert severity="error">{error.message}</Alert>;
  if (!data) return <Typography color="text.secondary">Loading the history…</Typography>;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Everything that changed in this ICP" data-testid="icp-activity">
        <TableHead>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>What</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>Who</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Why</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {data.map((e) => {
            const resource = resourceOf(e.entityType);
            const what = `${entityLabel(e.entityType)} “${nameOf(e)}”`;
            return (
              <TableRow key={e.chainIndex} data-entity-type={e.entityType}>
                <TableCell>{e.chainIndex}</TableCell>
                <TableCell>
                  {resource && e.action !== 'DELETE' ? (
                    <Link href={`#/${resource}/${e.entityId}/show`}>{what}</Link>
                  ) : (
                    what
                  )}
                </TableCell>
                <TableCell>
                  <Chip size="small" label={e.action.toLowerCase()} color={actionColor(e.action)} variant="outlined" />
                </TableCell>
                <TableCell>{e.actorLabel}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{when(e.at)}</TableCell>
                <TableCell>{e.reason ?? ''}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
