import { useState } from 'react';
import { Alert, Button, Stack, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { download } from '../download';
import { when } from '../history/RecordHistory';
import { currentCheckpoint } from './api';
import { checkpointFile } from './checkpoint-file';

/** Saves the workspace's head, signed now, as a file for the auditor to keep. */
export function CheckpointDownload() {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<string>();
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { checkpoint, workspaceSlug } = await currentCheckpoint();
      const file = checkpointFile(workspaceSlug, checkpoint);
      download(file.name, file.text, 'application/json');
      setSaved(
        `Saved ${file.name}: the history up to revision #${checkpoint.chainIndex}, signed ${when(checkpoint.at)}.`,
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1.5} component="section" aria-labelledby="audit-download">
      <Typography variant="h6" component="h2" id="audit-download">
        Download the current checkpoint
      </Typography>
      <Typography id="audit-download-help">
        Keep this signed file outside the system (your own storage, not this server or its database): later it proves
        that nothing up to today was rewritten, even by someone with full access to the database.
      </Typography>
      <Stack direction="row">
        <Button
          variant="contained"
          startIcon={<DownloadIcon />}
          disabled={busy}
          aria-describedby="audit-download-help"
          onClick={() => void save()}
        >
          Download the current checkpoint
        </Button>
      </Stack>
      <div aria-live="polite">
        {saved && <Alert severity="info">{saved}</Alert>}
        {error && <Alert severity="error">{error}</Alert>}
      </div>
    </Stack>
  );
}
