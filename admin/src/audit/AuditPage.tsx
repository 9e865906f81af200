import { Card, CardContent, Divider, Stack, Typography } from '@mui/material';
import { Title, usePermissions } from 'react-admin';
import { AUDIT_OPERATION } from '../providers/access';
import { CheckpointDownload } from './CheckpointDownload';
import { PublicKeys } from './PublicKeys';
import { VerifyPanel } from './VerifyPanel';

/**
 * The auditor's view (issue 15): take a signed checkpoint away, later prove
 * the history against it, and see the keys that sign it. Shown to whoever the
 * server's policy lets verify the history.
 */
export default function AuditPage() {
  const { permissions, isPending } = usePermissions<string[] | null>();
  if (isPending) return null;
  const allowed = (permissions ?? []).includes(AUDIT_OPERATION);
  return (
    <Card sx={{ mt: 1 }}>
      <Title title="Verification" />
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          Verification
        </Typography>
        {allowed ? (
          <Stack spacing={3} divider={<Divider />}>
            <CheckpointDownload />
            <VerifyPanel />
            <PublicKeys />
          </Stack>
        ) : (
          <Typography>Your role may not verify the history of this workspace.</Typography>
        )}
      </CardContent>
    </Card>
  );
}
