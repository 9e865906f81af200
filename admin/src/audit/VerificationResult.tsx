import { Alert, AlertTitle, Box, Typography } from '@mui/material';
import type { HistoryProblemKind } from '../generated/graphql';
import { when } from '../history/RecordHistory';
import type { BrokenRevision, Verification } from './api';

/** Each way a chain can fail, in words an auditor reads without the schema at hand. */
export const PROBLEM_KINDS: Record<HistoryProblemKind, string> = {
  HASH: 'Hash mismatch: its content no longer matches its hash, so it was changed after it was written',
  LINK: 'Broken link: it does not follow on from the revision before it',
  MISSING: 'Missing revision: a revision was removed, or the newest ones were cut off',
  SIGNATURE:
    'Bad signature: it is not signed by any of the public keys below, so it was written, or rewritten, without the signing key',
  CHECKPOINT:
    "Checkpoint mismatch: the chain no longer holds the kept checkpoint's head, or the checkpoint's signature does not hold",
};

/** What a revision was: its action, the record (by name when it has one), who and when. */
export function describeRevision(r: BrokenRevision): string {
  const record = r.after ?? r.before;
  const name = record?.name ?? record?.email ?? record?.slug;
  const entity = name ? `${r.entityType} "${String(name)}" (${r.entityId})` : `${r.entityType} ${r.entityId}`;
  return `${r.action.toLowerCase()} of ${entity} by ${r.actorLabel}, ${when(r.at)}`;
}

/** A labelled line of the red result. */
const Line = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Box sx={{ mt: 0.5 }}>
    <Typography component="span" sx={{ fontWeight: 'bold' }}>
      {label}:
    </Typography>{' '}
    {children}
  </Box>
);

/** Green with what was checked, or red naming the revision and why: in words and an icon, never colour alone. */
export function VerificationResult({ result }: { result: Verification }) {
  if (result.valid) {
    const scope = result.since ? `History since ${when(result.since)} intact` : 'History intact';
    return (
      <Alert severity="success" variant="filled" data-testid="audit-result">
        <AlertTitle>
          {scope}: {result.checked} revisions checked
        </AlertTitle>
        {result.since
          ? `The kept checkpoint's head (revision #${result.fromIndex}) is still in place, and every revision since matches its hash, follows the one before and is signed by a listed key.`
          : 'Every revision from the first matches its hash, follows the one before and is signed by a listed key.'}
        {result.unsigned > 0 && ` ${result.unsigned} revisions written before signing began were accepted unsigned.`}
      </Alert>
    );
  }
  const at = result.brokenAt;
  return (
    <Alert severity="error" variant="filled" data-testid="audit-result">
      <AlertTitle>{at ? `History broken at revision #${at.chainIndex}` : 'History broken'}</AlertTitle>
      {at && <Line label="Revision">{describeRevision(at)}</Line>}
      {result.problemKind && <Line label="Problem">{PROBLEM_KINDS[result.problemKind]}</Line>}
      {result.problem && <Line label="Details">{result.problem}</Line>}
      <Line label="Checked">
        {result.checked} revisions held from revision #{result.fromIndex}
        {result.since ? `, against the checkpoint of ${when(result.since)}` : ''}
      </Line>
    </Alert>
  );
}
