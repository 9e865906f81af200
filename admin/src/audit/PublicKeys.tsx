import {
  Alert,
  Box,
  Chip,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import KeyIcon from '@mui/icons-material/Key';
import KeyOffIcon from '@mui/icons-material/KeyOff';
import { useQuery } from '@tanstack/react-query';
import { useNotify } from 'react-admin';
import { when } from '../history/RecordHistory';
import { historyPublicKeys, type PublicKey } from './api';

const HEADERS = ['Key', 'Public key', 'Status', 'First signed', 'Last signed', 'Revisions'];

/** Current, or retired at a time: a word and an icon, not a colour alone. */
const Status = ({ k }: { k: PublicKey }) =>
  k.current ? (
    <Chip size="small" color="success" variant="outlined" icon={<KeyIcon />} label="current" />
  ) : (
    <Chip
      size="small"
      variant="outlined"
      icon={<KeyOffIcon />}
      label={k.retiredAt ? `retired at ${when(k.retiredAt)}` : 'retired'}
    />
  );

/** The keys the history trusts, each with its validity and its use in this workspace; a key copies in one click. */
export function PublicKeys() {
  const notify = useNotify();
  const { data, error } = useQuery({ queryKey: ['history-public-keys'], queryFn: historyPublicKeys });
  const copy = (k: PublicKey) =>
    navigator.clipboard.writeText(k.publicKey).then(
      () => notify(`Copied the public key ${k.keyId}`, { type: 'info' }),
      () => notify('Could not copy: select the key and copy it', { type: 'warning' }),
    );
  return (
    <Stack spacing={1.5} component="section" aria-labelledby="audit-keys">
      <Typography variant="h6" component="h2" id="audit-keys">
        Public keys
      </Typography>
      <Typography>
        Every revision and checkpoint is signed with the current key; retired keys stay listed so what they signed
        before their retirement still verifies. With a public key and a kept checkpoint, anyone can verify the history
        outside this console.
      </Typography>
      {error && <Alert severity="error">{error.message}</Alert>}
      {/*
        Scrolls on its own in a narrow window (width 0 and min-width 100%: the table's width does not widen the
        page around it); focusable so the keyboard can scroll it too.
      */}
      <Box
        sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}
        tabIndex={0}
        role="region"
        aria-label="the public keys table, scrolls sideways"
      >
        <Table size="small" aria-labelledby="audit-keys">
          <TableHead>
            <TableRow>
              {HEADERS.map((h) => (
                <TableCell key={h}>{h}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {data?.map((k) => (
              <TableRow key={k.keyId} data-testid={`key-${k.keyId}`}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{k.keyId}</TableCell>
                <TableCell>
                  <Stack direction="row" alignItems="center" spacing={0.5}>
                    <Box component="code" sx={{ wordBreak: 'break-all', minWidth: 160 }}>
                      {k.publicKey}
                    </Box>
                    <Tooltip title="Copy">
                      <IconButton
                        size="small"
                        aria-label={`copy the public key ${k.keyId}`}
                        onClick={() => void copy(k)}
                      >
                        <ContentCopyIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  </Stack>
                </TableCell>
                <TableCell>
                  <Status k={k} />
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{k.firstSignedAt ? when(k.firstSignedAt) : '—'}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{k.lastSignedAt ? when(k.lastSignedAt) : '—'}</TableCell>
                <TableCell align="right">{k.revisions}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Stack>
  );
}
