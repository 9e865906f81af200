import { useEffect, useState } from 'react';
import { Alert, AlertTitle, Button } from '@mui/material';
import { useEditContext, useRecordContext, useResourceContext } from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { conflicts, type ConflictEvent } from '../providers/dataProvider';
import { humanize } from './fields';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

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
  const [merged, setMerged] = useState<{ revision: number; theirs: string[]; both: string[] }>();

  useEffect(
    () =>
      conflicts.subscribe(
        (e) => e.resource === resource && e.id === record?.id && (setConflict(e), setMerged(undefined)),
      ),
    [resource, record?.id],
  );

  if (!conflict || !record) return null;
  if (merged) {
    return (
      <Alert
        severity="info"
        onClose={() => setConflict(undefined)}
        sx={{ mb: 2, width: '100%' }}
        data-testid="conflict-merged"
      >
        Reloaded revision {merged.revision}.{' '}
        {merged.theirs.length
          ? `They changed ${merged.theirs.map(humanize).join(', ')}.`
          : 'They changed nothing you can edit here.'}{' '}
        {merged.both.length
          ? `You both changed ${merged.both.map(humanize).join(', ')}: your text is in the form.`
          : ''}{' '}
        Your changes are kept; review and save again.
      </Alert>
    );
  }
  const reload = async () => {
    const before = record;
    const mine = Object.keys(form.formState.dirtyFields);
    const { data: latest } = await refetch();
    const theirs = Object.keys(latest ?? {}).filter(
      (k) => !['revision', 'updatedAt'].includes(k) && !same(latest[k], before[k]),
    );
    setMerged({ revision: latest?.revision, theirs, both: theirs.filter((k) => mine.includes(k)) });
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
      It is now at revision {conflict.currentRevision}. Your changes are still in the form.
    </Alert>
  );
}
