import { useRef, useState } from 'react';
import { Alert, AlertTitle, Box, Button, Stack, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import type { HistoryCheckpointInput } from '../generated/graphql';
import { GraphQLRequestError } from '../providers/graphql';
import { CHECKPOINT_INPUT, type Verification, verifyHistory } from './api';
import { CheckpointFileError, readCheckpoint } from './checkpoint-file';
import { VerificationResult } from './VerificationResult';

interface Refusal {
  title: string;
  problems: string[];
}

// What the server's refusal of a field of the checkpoint means to the person who chose the file.
const MEANING: Record<string, string> = {
  'checkpoint.workspace':
    'This is a checkpoint of another workspace: switch to that workspace (user menu) to verify it there.',
};

/** A file that is not a checkpoint, or a checkpoint the server refuses (another workspace's): each problem named. */
function refusal(e: unknown): Refusal {
  if (e instanceof CheckpointFileError) return { title: 'Not a checkpoint', problems: e.problems };
  const problems =
    e instanceof GraphQLRequestError ? (e.extensions.problems as { path: string; message: string }[] | undefined) : [];
  if (!problems?.length) return { title: 'Verification failed', problems: [(e as Error).message] };
  return {
    title: 'Verification refused',
    problems: problems.flatMap((p) => [...(MEANING[p.path] ? [MEANING[p.path]] : []), `${p.path}: ${p.message}`]),
  };
}

/** Verify the workspace's history: against a checkpoint kept outside the system, or all of it. */
export function VerifyPanel() {
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Verification>();
  const [refused, setRefused] = useState<Refusal>();

  const run = async (checkpoint: () => Promise<HistoryCheckpointInput | null>) => {
    setBusy(true);
    setResult(undefined);
    setRefused(undefined);
    try {
      setResult(await verifyHistory(await checkpoint()));
    } catch (e) {
      setRefused(refusal(e));
    } finally {
      setBusy(false);
    }
  };
  const chosen = (input: HTMLInputElement) => {
    const kept = input.files?.[0];
    // Cleared, so choosing the same file again verifies again.
    input.value = '';
    if (kept) void run(async () => readCheckpoint(await kept.text(), kept.name, CHECKPOINT_INPUT));
  };

  return (
    <Stack spacing={1.5} component="section" aria-labelledby="audit-verify">
      <Typography variant="h6" component="h2" id="audit-verify">
        Verify the history
      </Typography>
      <Typography id="audit-verify-help">
        Choose a checkpoint you kept: the server checks that the history still holds its head, so nothing up to it was
        rewritten, and checks every revision since. Or check every revision from the first.
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} alignItems={{ sm: 'center' }}>
        <Button
          variant="contained"
          startIcon={<UploadFileIcon />}
          disabled={busy}
          aria-describedby="audit-verify-help"
          onClick={() => file.current?.click()}
        >
          Verify against a kept checkpoint…
        </Button>
        <input
          ref={file}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label="Kept checkpoint file"
          data-testid="checkpoint-file"
          onChange={(e) => chosen(e.currentTarget)}
        />
        <Button
          variant="outlined"
          startIcon={<VerifiedUserIcon />}
          disabled={busy}
          onClick={() => void run(async () => null)}
        >
          Verify the whole history
        </Button>
      </Stack>
      <Box aria-live="polite" aria-busy={busy}>
        {busy && <Typography>Verifying…</Typography>}
        {result && <VerificationResult result={result} />}
        {refused && (
          <Alert severity="warning" data-testid="audit-refused">
            <AlertTitle>{refused.title}</AlertTitle>
            <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
              {refused.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </Box>
          </Alert>
        )}
      </Box>
    </Stack>
  );
}
