import { useEffect, useState } from 'react';
import { Alert, AlertTitle, Box, Button, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useEditContext, useRecordContext, useResourceContext } from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { conflicts, type ConflictEvent } from '../providers/dataProvider';
import { humanize } from './fields';
import { gql } from '../providers/graphql';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const shown = (v: unknown) =>
  v === null || v === undefined || v === '' ? '(empty)' : Array.isArray(v) ? v.join(', ') : String(v);

/** Who saved the record's newest revision, and when (from its history). */
interface SavedBy {
  actorLabel: string;
  at: string;
}
const whoSaved = async (id: string): Promise<SavedBy | undefined> =>
  (
    await gql<{ history: SavedBy[] }>(
      `query($id: ID!) { history(filter: { entityId: $id }, limit: 1) { actorLabel at } }`,
      {
        id,
      },
    )
  ).history[0];
const byLine = (by?: SavedBy) => (by ? ` by ${by.actorLabel} at ${new Date(by.at).toLocaleString()}` : '');

/** A field both saved differently: their value beside yours. */
interface Clash {
  field: string;
  theirs: unknown;
  yours: unknown;
}

/**
 * Shown in an edit form when someone else saved the record first. Nothing
 * typed is lost: "Reload" fetches their version and keeps every field this
 * user changed (the form resets with keepDirtyValues), then says which fields
 * both changed, so the user can review and save again.
 */
export function ConflictBanner() {
  const resource = useResourceContext();
  const record = useRecordContext();
  const { refetch } = useEditContext();
  const form = useFormContext();
  const [conflict, setConflict] = useState<ConflictEvent>();
  const [merged, setMerged] = useState<{ revision: number; theirs: string[]; clashes: Clash[] }>();
  const [savedBy, setSavedBy] = useState<SavedBy>();

  useEffect(
    () =>
      conflicts.subscribe(
        (e) => e.resource === resource && e.id === record?.id && (setConflict(e), setMerged(undefined)),
      ),
    [resource, record?.id],
  );
  // Who saved first: asked once per conflict; a role that may not read history just sees no name.
  useEffect(() => {
    if (!conflict) return;
    let live = true;
    whoSaved(conflict.id).then(
      (by) => live && setSavedBy(by),
      () => live && setSavedBy(undefined),
    );
    return () => {
      live = false;
    };
  }, [conflict]);

  if (!conflict || !record) return null;
  if (merged) {
    return (
      <Alert
        severity="info"
        onClose={() => setConflict(undefined)}
        sx={{ mb: 2, width: '100%' }}
        data-testid="conflict-merged"
      >
        Reloaded revision {merged.revision}
        {byLine(savedBy)}.{' '}
        {merged.theirs.length
          ? `They changed ${merged.theirs.map(humanize).join(', ')}.`
          : 'They changed nothing you can edit here.'}{' '}
        {merged.clashes.length
          ? `You both changed ${merged.clashes.map((c) => humanize(c.field)).join(', ')}: your text is in the form.`
          : ''}{' '}
        Your changes are kept; review and save again.
        {merged.clashes.length > 0 && (
          <Box sx={{ overflowX: 'auto', mt: 1 }}>
            <Table size="small" aria-label="Fields you both changed" data-testid="conflict-fields">
              <TableHead>
                <TableRow>
                  <TableCell>Field</TableCell>
                  <TableCell>Their value{savedBy ? ` (${savedBy.actorLabel})` : ''}</TableCell>
                  <TableCell>Your value (in the form)</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {merged.clashes.map((c) => (
                  <TableRow key={c.field} data-field={c.field}>
                    <TableCell>{humanize(c.field)}</TableCell>
                    <TableCell data-testid="theirs">{shown(c.theirs)}</TableCell>
                    <TableCell data-testid="yours">{shown(c.yours)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
      </Alert>
    );
  }
  const reload = async () => {
    const before = record;
    const mine = Object.keys(form.formState.dirtyFields);
    const yours = form.getValues();
    const { data: latest } = await refetch();
    const theirs = Object.keys(latest ?? {}).filter(
      (k) => !['revision', 'updatedAt'].includes(k) && !same(latest[k], before[k]),
    );
    const clashes = theirs
      .filter((k) => mine.includes(k))
      .map((field) => ({ field, theirs: latest[field], yours: yours[field] }));
    setMerged({ revision: latest?.revision, theirs, clashes });
  };
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2, width: '100%' }}
      data-testid="conflict"
      action={
        <Button color="inherit" size="small" onClick={() => void reload()}>
          Reload and keep my changes
        </Button>
      }
    >
      <AlertTitle>Someone saved this record first</AlertTitle>
      It is now at revision {conflict.currentRevision}, saved{byLine(savedBy)}. Your changes are still in the form.
    </Alert>
  );
}
