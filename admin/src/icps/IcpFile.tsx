import { useState } from 'react';
import {
  Alert,
  AlertTitle,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useCanAccess, useNotify, useRecordContext, useRedirect } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { download } from '../download';
import { GraphQLRequestError, gql } from '../providers/graphql';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

/** Downloads the ICP (its draft, or a published version) as an ICP file. */
export function ExportIcpButton({ version, label = 'Export YAML' }: { version?: number; label?: string }) {
  const icp = useRecordContext();
  const notify = useNotify();
  if (!icp) return null;
  const run = async () => {
    try {
      const { exportIcp } = await gql<{ exportIcp: string }>(
        'query($icp: String!, $v: Int) { exportIcp(icp: $icp, version: $v) }',
        { icp: icp.id, v: version ?? null },
      );
      download(`${icp.slug}${version ? `.v${version}` : ''}.icp.yaml`, exportIcp, 'application/yaml');
    } catch (e) {
      notify((e as Error).message, { type: 'error' });
    }
  };
  return (
    <Button size="small" startIcon={<DownloadIcon />} onClick={() => void run()}>
      {label}
    </Button>
  );
}

type Change = Selected<G.IcpFileChange, 'action' | 'entity' | 'name' | 'parent' | 'path'> & {
  fields: Selected<G.IcpFileFieldChange, 'field' | 'before' | 'after'>[];
};
type ImportResult = Selected<G.IcpImportResult, 'slug' | 'created' | 'dryRun'> & {
  changes: Change[];
  icp: Selected<G.Icp, 'id'> | null;
};
interface Problem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

const IMPORT = `mutation($yaml: String!, $reason: String, $dry: Boolean) {
  importIcp(yaml: $yaml, reason: $reason, dryRun: $dry) { slug created dryRun icp { id } changes { action entity name parent path fields { field before after } } }
}`;
const value = (v: unknown) => (v == null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Imports an ICP file into the draft: first a preview of every change (a dry
 * run), then the import itself, each change a revision with the reason. A
 * file with problems changes nothing, and every problem is listed with its
 * line in the file.
 */
export function ImportIcpButton() {
  const { canAccess } = useCanAccess({ resource: 'icps', action: 'edit' });
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<ImportResult>();
  const [problems, setProblems] = useState<Problem[]>();
  const [busy, setBusy] = useState(false);
  if (!canAccess) return null;

  const reset = () => {
    setFile(undefined);
    setPreview(undefined);
    setProblems(undefined);
    setReason('');
  };
  const call = async (dry: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblems(undefined);
    try {
      const { importIcp } = await gql<{ importIcp: ImportResult }>(IMPORT, {
        yaml: file.text,
        reason: reason || `Imported from ${file.name}`,
        dry,
      });
      if (dry) setPreview(importIcp);
      else {
        notify(
          `${importIcp.slug}: ${importIcp.changes.length} change${importIcp.changes.length === 1 ? '' : 's'} imported into the draft`,
          { type: 'success' },
        );
        setOpen(false);
        reset();
        await queryClient.invalidateQueries();
        if (importIcp.icp) redirect('show', 'icps', importIcp.icp.id);
      }
    } catch (e) {
      if (e instanceof GraphQLRequestError && Array.isArray(e.extensions.problems))
        setProblems(e.extensions.problems as Problem[]);
      else notify((e as Error).message, { type: 'error' });
      setPreview(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="small" startIcon={<UploadFileIcon />} onClick={() => setOpen(true)}>
        Import YAML
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md">
        <DialogTitle>Import an ICP file into the draft</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <Typography variant="body2">
              Records are matched by name: the file's tiers, personas, rules… are created, changed or deleted in the
              draft, each change recorded with your reason. Nothing is published.
            </Typography>
            <Button
              component="label"
              variant="outlined"
              startIcon={<UploadFileIcon />}
              sx={{ alignSelf: 'flex-start' }}
            >
              {file ? file.name : 'Choose a .yaml file'}
              <input
                type="file"
                hidden
                accept=".yaml,.yml,application/yaml,text/yaml"
                aria-label="ICP file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (!f) return;
                  void f.text().then((text) => {
                    setFile({ name: f.name, text });
                    setPreview(undefined);
                    setProblems(undefined);
                  });
                }}
              />
            </Button>
            <TextField label="Why" value={reason} onChange={(e) => setReason(e.target.value)} fullWidth size="small" />
            {problems && (
              <Alert severity="error" data-testid="import-problems">
                <AlertTitle>
                  {problems.length} problem{problems.length === 1 ? '' : 's'} in {file?.name}: nothing was changed
                </AlertTitle>
                <Box component="ul" sx={{ m: 0, pl: 2 }}>
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.line ? `line ${p.line}${p.column ? `:${p.column}` : ''} · ` : ''}
                      <code>{p.path}</code>: {p.message}
                    </li>
                  ))}
                </Box>
              </Alert>
            )}
            {preview && (
              <Box data-testid="import-preview">
                <Typography variant="subtitle2" gutterBottom>
                  {preview.changes.length
                    ? `${preview.changes.length} change${preview.changes.length === 1 ? '' : 's'} to ${preview.created ? 'a new ICP' : 'the draft of'} ${preview.slug}`
                    : `The file matches the draft of ${preview.slug}: nothing to import.`}
                </Typography>
                {preview.changes.length > 0 && (
                  <Box sx={{ overflowX: 'auto', maxHeight: 360 }}>
                    <Table size="small" stickyHeader aria-label="changes">
                      <TableHead>
                        <TableRow>
                          <TableCell>Change</TableCell>
                          <TableCell>Record</TableCell>
                          <TableCell>Fields</TableCell>
                        </TableRow>
                      </TableHead>
                      <TableBody>
                        {preview.changes.map((c, i) => (
                          <TableRow key={i}>
                            <TableCell>
                              <Chip
                                size="small"
                                variant="outlined"
                                label={c.action.toLowerCase()}
                                color={c.action === 'CREATE' ? 'success' : c.action === 'DELETE' ? 'error' : 'info'}
                              />
                            </TableCell>
                            <TableCell>
                              {c.entity} “{c.name}”{c.parent ? ` in ${c.parent}` : ''}
                            </TableCell>
                            <TableCell sx={{ fontSize: 12 }}>
                              {c.fields.slice(0, 6).map((f) => (
                                <div key={f.field}>
                                  <b>{f.field}</b>:{' '}
                                  {c.action === 'CREATE'
                                    ? value(f.after)
                                    : c.action === 'DELETE'
                                      ? value(f.before)
                                      : `${value(f.before)} → ${value(f.after)}`}
                                </div>
                              ))}
                              {c.fields.length > 6 && <div>…and {c.fields.length - 6} more</div>}
                            </TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  </Box>
                )}
              </Box>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button
            onClick={() => {
              setOpen(false);
              reset();
            }}
          >
            Cancel
          </Button>
          <Button onClick={() => void call(true)} disabled={!file || busy}>
            Preview changes
          </Button>
          <Button
            variant="contained"
            onClick={() => void call(false)}
            disabled={!preview || !preview.changes.length || busy}
          >
            Import into the draft
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
