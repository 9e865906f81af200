import { useId } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  type Theme,
  Typography,
  useMediaQuery,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  CreateBase,
  DeleteButton,
  EditBase,
  Form,
  type Identifier,
  SaveButton,
  TextInput,
  useEditContext,
  useNotify,
} from 'react-admin';
import { ConflictBanner } from '../resources/ConflictBanner';
import { FieldInput } from '../resources/GenericInputs';
import type { FieldSpec } from '../resources/fields';
import { REASON } from '../providers/dataProvider';
import { formGroups } from './part-forms';

/**
 * A part's form in its groups. In a dialog the first group is open and the others one click away; on the
 * part's own page (`parents`) every group is shown under its heading.
 */
export function GroupedInputs({
  resource,
  mode,
  parents,
}: {
  resource: string;
  mode: 'create' | 'edit';
  /** Show the parent links (its ICP, its dimension): on the part's own page, not in a dialog over its ICP. */
  parents?: boolean;
}) {
  const groups = formGroups(resource, parents);
  const inputs = (fields: FieldSpec[]) => fields.map((f) => <FieldInput key={f.name} spec={f} mode={mode} />);
  return (
    <>
      {groups.map((g, i) =>
        i === 0 || parents ? (
          <Box
            key={g.label}
            component="fieldset"
            sx={{ border: 0, p: 0, m: 0, mt: i ? 2 : 0, display: 'flex', flexDirection: 'column', width: '100%' }}
          >
            {parents && (
              <Typography component="legend" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
                {g.label}
              </Typography>
            )}
            {inputs(g.fields)}
          </Box>
        ) : (
          <Accordion key={g.label} disableGutters variant="outlined" sx={{ mt: 1 }}>
            <AccordionSummary expandIcon={<ExpandMoreIcon />}>
              <Typography variant="subtitle1" component="h3">
                {g.label}
              </Typography>
            </AccordionSummary>
            <AccordionDetails sx={{ display: 'flex', flexDirection: 'column' }}>{inputs(g.fields)}</AccordionDetails>
          </Accordion>
        ),
      )}
    </>
  );
}

function PartForm({
  resource,
  title,
  titleId,
  edit,
  onClose,
}: {
  resource: string;
  title: string;
  titleId: string;
  edit?: boolean;
  onClose: () => void;
}) {
  return (
    <Form resetOptions={edit ? { keepDirtyValues: true } : undefined}>
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent dividers>
        {edit && <ConflictBanner />}
        <GroupedInputs resource={resource} mode={edit ? 'edit' : 'create'} />
        <TextInput
          source={REASON}
          label="Why (kept in the history)"
          fullWidth
          helperText="Optional: a word for the auditors on why this changed."
        />
      </DialogContent>
      <DialogActions sx={{ flexWrap: 'wrap', gap: 1 }}>
        {edit && (
          <DeleteButton
            resource={resource}
            redirect={false}
            mutationMode="pessimistic"
            mutationOptions={{ onSuccess: onClose }}
            sx={{ mr: 'auto' }}
          />
        )}
        <Button onClick={onClose}>Cancel</Button>
        <SaveButton alwaysEnable={!edit} />
      </DialogActions>
    </Form>
  );
}

/** The edit form once its record is loaded (a form built before it would start empty). */
function WhenLoaded({ children }: { children: React.ReactNode }) {
  const { isPending } = useEditContext();
  return isPending ? <LinearProgress aria-label="Loading" /> : <>{children}</>;
}

/**
 * Adds or edits one part of an ICP in a dialog over the ICP's page: saving
 * keeps the user on the ICP, and the page's lists refresh by themselves.
 */
export function PartDialog({
  resource,
  id,
  defaults,
  title,
  onClose,
}: {
  resource: string;
  /** The part to edit; without it, a new one. */
  id?: Identifier;
  /** A new part's starting values (its ICP or dimension, the next rank). */
  defaults?: Record<string, unknown>;
  title: string;
  onClose: () => void;
}) {
  const notify = useNotify();
  const titleId = useId();
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const saved = () => {
    notify('Saved to the draft (not live until the ICP is published)', { type: 'success' });
    onClose();
  };
  return (
    // A dialog's submit must not bubble (through the portal) to a form the page may hold around it.
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="md"
      fullScreen={narrow}
      aria-labelledby={titleId}
      onSubmit={(e) => e.stopPropagation()}
    >
      {id == null ? (
        <CreateBase resource={resource} record={defaults} redirect={false} mutationOptions={{ onSuccess: saved }}>
          <PartForm resource={resource} title={title} titleId={titleId} onClose={onClose} />
        </CreateBase>
      ) : (
        <EditBase
          resource={resource}
          id={id}
          mutationMode="pessimistic"
          redirect={false}
          mutationOptions={{ onSuccess: saved }}
        >
          <WhenLoaded>
            <PartForm resource={resource} title={title} titleId={titleId} edit onClose={onClose} />
          </WhenLoaded>
        </EditBase>
      )}
    </Dialog>
  );
}
