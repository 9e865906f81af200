import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Box, Button, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import ReplayIcon from '@mui/icons-material/Replay';
import {
  Create,
  SimpleForm,
  TabbedShowLayout,
  useCanAccess,
  useNotify,
  useRecordContext,
  useRedirect,
} from 'react-admin';
import { gql } from '../providers/graphql';
import { GenericInputs } from './GenericInputs';
import { editableFields } from './fields';
import { makeResource } from './resource';
import { OneTimeSecretDialog } from './OneTimeSecret';

interface Delivery {
  id: string;
  eventId: string;
  event: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  redeliveryOf: string | null;
}

const DELIVERIES = `query($f: WebhookDeliveryFilter) { webhookDeliveries(filter: $f, limit: 50) {
  id eventId event status attempts lastStatusCode lastLatencyMs lastError nextAttemptAt createdAt redeliveryOf } }`;
const STATUS_COLOR = { PENDING: 'warning', DELIVERED: 'success', FAILED: 'error' } as const;

/** The webhook's delivery log, newest first: status, attempts, answer, latency, last error; Redeliver for admins. */
function DeliveryLog() {
  const record = useRecordContext();
  const notify = useNotify();
  const { canAccess } = useCanAccess({ resource: 'webhooks', action: 'edit' });
  const { data: rows, refetch } = useQuery({
    queryKey: ['webhook-deliveries', record?.id],
    enabled: !!record,
    queryFn: async () =>
      (await gql<{ webhookDeliveries: Delivery[] }>(DELIVERIES, { f: { webhookId: record!.id } })).webhookDeliveries,
  });
  const redeliver = async (id: string) => {
    try {
      await gql('mutation($d: ID!) { redeliverWebhook(delivery: $d) { id } }', { d: id });
      notify('Delivery queued again', { type: 'success' });
      await refetch();
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };
  if (!rows) return null;
  if (!rows.length)
    return (
      <Typography variant="body2" color="text.secondary">
        Nothing delivered yet: deliveries appear here when a subscribed event happens.
      </Typography>
    );
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Deliveries">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Event</TableCell>
            <TableCell>Status</TableCell>
            <TableCell align="right">Attempts</TableCell>
            <TableCell align="right">Answer</TableCell>
            <TableCell align="right">Latency</TableCell>
            <TableCell>Last error</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((d) => (
            <TableRow key={d.id}>
              <TableCell>{new Date(d.createdAt).toLocaleString()}</TableCell>
              <TableCell>
                {d.event.toLowerCase().replace('_', '.')}
                {d.redeliveryOf ? ' (redelivery)' : ''}
              </TableCell>
              <TableCell>
                <Chip size="small" label={d.status} color={STATUS_COLOR[d.status]} variant="outlined" />
              </TableCell>
              <TableCell align="right">{d.attempts}</TableCell>
              <TableCell align="right">{d.lastStatusCode ?? '—'}</TableCell>
              <TableCell align="right">{d.lastLatencyMs != null ? `${d.lastLatencyMs} ms` : '—'}</TableCell>
              <TableCell sx={{ maxWidth: 320, overflowWrap: 'anywhere' }}>
                {d.lastError ?? (d.nextAttemptAt && d.status === 'PENDING' ? 'waiting for its next attempt' : '')}
              </TableCell>
              <TableCell>
                {canAccess && d.status !== 'PENDING' && (
                  <Button
                    size="small"
                    startIcon={<ReplayIcon />}
                    onClick={() => void redeliver(d.id)}
                    aria-label={`Redeliver the ${d.event.toLowerCase()} event of ${new Date(d.createdAt).toLocaleString()}`}
                  >
                    Redeliver
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Creating a webhook shows its signing secret once, to copy; only a sealed copy is kept. */
function WebhookCreate() {
  const [issued, setIssued] = useState<{ id: string; secret: string }>();
  const redirect = useRedirect();
  return (
    <>
      <Create
        mutationOptions={{ onSuccess: (data: { id: string; secret: string }) => setIssued(data) }}
        redirect={false}
      >
        <SimpleForm defaultValues={{ active: true, events: ['ICP_PUBLISHED'] }}>
          <GenericInputs fields={editableFields('Webhook')} mode="create" />
        </SimpleForm>
      </Create>
      <OneTimeSecretDialog
        title="Your webhook's signing secret"
        warning="Copy it now: it is shown this once and can never be read again."
        label="Signing secret"
        value={issued?.secret}
        onDone={() => redirect('show', 'webhooks', issued?.id)}
      >
        <Box sx={{ mt: 1 }}>
          <Typography variant="body2" color="text.secondary">
            Each delivery carries <code>ICP-Webhook-Timestamp</code> and{' '}
            <code>ICP-Webhook-Signature: v1=&lt;HMAC-SHA256 of "timestamp.body"&gt;</code>: check it with this secret
            before trusting the body.
          </Typography>
        </Box>
      </OneTimeSecretDialog>
    </>
  );
}

export const webhooks = {
  ...makeResource('webhooks', {
    columns: ['name', 'url', 'events', 'active'],
    tabs: [
      <TabbedShowLayout.Tab label="Deliveries" path="deliveries" key="deliveries">
        <DeliveryLog />
      </TabbedShowLayout.Tab>,
    ],
  }),
  create: WebhookCreate,
};
