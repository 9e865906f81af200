import { type ReactNode, useState } from 'react';
import { Alert, Box, Button, Paper, Step, StepLabel, Stepper, Typography } from '@mui/material';
import {
  ArrayInput,
  Form,
  type Identifier,
  type RaRecord,
  SimpleFormIterator,
  Title,
  useDataProvider,
  useNotify,
  useRedirect,
  RemoveItemButton,
  useSimpleFormIterator,
  useSimpleFormIteratorItem,
} from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { FieldInput } from '../resources/GenericInputs';
import type { FieldSpec } from '../resources/fields';
import { fieldsNamed } from './part-forms';

type Row = Record<string, unknown> & { id?: Identifier };
/** One record the step creates: its resource, where its row is in the form, and its data. */
interface Job {
  resource: string;
  path: string;
  data: Record<string, unknown>;
  /** Runs after the record exists (a dimension's rules need its id). */
  then?: (id: Identifier) => Job[];
}

const STEPS = ['Name', 'Tiers', 'Personas', 'Scoring'];

interface RowsSpec {
  resource: string;
  intro: string;
  names: string[];
  addLabel: string;
  itemLabel?: (i: number) => string;
  /** Values a row gets from its place (a tier's rank). */
  extra?: (i: number) => Record<string, unknown>;
}
/** The steps that are one list of parts, by step number. */
const ROW_STEPS: Record<number, RowsSpec | undefined> = {
  1: {
    resource: 'tiers',
    intro:
      "Tiers or segments, best first: the rank follows the order. A tier's conditions are checked against each account.",
    names: ['name', 'kind', 'criteria'],
    addLabel: 'Add tier',
    itemLabel: (i) => `Rank ${i + 1}`,
    extra: (i) => ({ rank: i + 1 }),
  },
  2: {
    resource: 'personas',
    intro:
      "The people to talk to: their role in the purchase and the titles they hold. Pains, goals and channels can be added on the ICP's page.",
    names: ['name', 'buyingRoles', 'jobTitles'],
    addLabel: 'Add persona',
  },
};

/**
 * Creating an ICP in four short steps: its name, then its tiers, personas
 * and scoring model, each step skippable (everything can be added later on
 * the ICP's page). Each step saves what it shows before the next; a row
 * that is saved keeps its id, so fixing an error and saving again never
 * creates it twice.
 */
export function IcpCreate() {
  const [step, setStep] = useState(0);
  const [icp, setIcp] = useState<{ id: Identifier; name: string }>();
  const redirect = useRedirect();
  const finish = () => icp && redirect(`/icps/${icp.id}/show`);
  const next = () => (step === STEPS.length - 1 ? finish() : setStep(step + 1));
  return (
    <Box sx={{ maxWidth: 900, minWidth: 0, mt: 2 }}>
      <Title title="New ICP" />
      <Stepper activeStep={step} alternativeLabel sx={{ mb: 2 }}>
        {STEPS.map((s) => (
          <Step key={s}>
            <StepLabel>{s}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Paper sx={{ p: { xs: 1.5, sm: 3 } }}>
        {step === 0 && <NameStep onCreated={(created) => (setIcp(created), setStep(1))} />}
        {icp && ROW_STEPS[step] && <RowsStep key={step} {...ROW_STEPS[step]} icpId={icp.id} onDone={next} />}
        {icp && step === 3 && <ScoringStep icpId={icp.id} onDone={next} />}
      </Paper>
    </Box>
  );
}

function NameStep({ onCreated }: { onCreated: (icp: { id: Identifier; name: string }) => void }) {
  const dataProvider = useDataProvider();
  const [problem, setProblem] = useState<string>();
  const submit = async (values: Record<string, unknown>) => {
    try {
      const { data } = await dataProvider.create('icps', { data: values });
      onCreated(data as { id: Identifier; name: string });
    } catch (e) {
      const err = e as Error & { body?: { errors?: Record<string, string> } };
      setProblem(err.message);
      // Shown next to each field.
      return err.body?.errors;
    }
  };
  return (
    <Form onSubmit={submit}>
      <Typography variant="h6" component="h2" gutterBottom>
        Name the ICP
      </Typography>
      {fieldsNamed('icps', ['name', 'slug', 'description']).map((f) => (
        <FieldInput key={f.name} spec={f} mode="create" />
      ))}
      {problem && <Alert severity="error">{problem}</Alert>}
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 2 }}>
        <Button type="submit" variant="contained">
          Create and continue
        </Button>
      </Box>
    </Form>
  );
}

/** A list of rows to create: one form line per record, "Add" for another. */
function RowsStep({
  resource,
  intro,
  names,
  addLabel,
  itemLabel,
  extra,
  icpId,
  onDone,
}: RowsSpec & { icpId: Identifier; onDone: () => void }) {
  return (
    <Form record={{ [resource]: [] }}>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        {intro}
      </Typography>
      <RowsInput source={resource} fields={fieldsNamed(resource, names)} addLabel={addLabel} itemLabel={itemLabel} />
      <StepActions
        jobs={(values) =>
          ((values[resource] as Row[]) ?? []).map((row, i) => ({
            resource,
            path: `${resource}.${i}`,
            data: { ...row, icpId, ...extra?.(i) },
          }))
        }
        onDone={onDone}
      />
    </Form>
  );
}

function RowsInput({
  source,
  fields,
  addLabel,
  itemLabel,
  children,
}: {
  source: string;
  fields: FieldSpec[];
  addLabel: string;
  itemLabel?: (i: number) => string;
  children?: ReactNode;
}) {
  return (
    <ArrayInput source={source} label={false}>
      <SimpleFormIterator
        disableReordering
        disableClear
        removeButton={<RemoveUnsaved source={source} />}
        getItemLabel={itemLabel}
        addButton={<AddRow label={addLabel} />}
        sx={{ '& .RaSimpleFormIterator-form': { flex: 1, minWidth: 0 } }}
      >
        {fields.map((f) => (
          <FieldInput key={f.name} spec={f} mode="create" />
        ))}
        {children}
      </SimpleFormIterator>
    </ArrayInput>
  );
}

/**
 * A row's "remove" while it is unsaved. A saved row is deleted on the ICP's page, where the deletion is recorded
 * with its reason; here it stays, so the ranks of the rows after it never shift onto a saved one. (The iterator's
 * own disableRemove sees the form's initial record, not the id a row gets when saved.)
 */
function RemoveUnsaved({ source }: { source: string }) {
  const { index } = useSimpleFormIteratorItem();
  const id = useWatch({ name: `${source}.${index}.id` }) as Identifier | undefined;
  return id == null ? <RemoveItemButton /> : null;
}

/** The iterator's "add" as a labelled button ("Add tier"), not an icon. */
function AddRow({ label }: { label: string }) {
  const { add } = useSimpleFormIterator();
  return (
    <Button size="small" variant="outlined" onClick={() => add()} sx={{ mt: 1 }}>
      {label}
    </Button>
  );
}

/** Saves the step's rows in order, then goes on; "Skip" goes on without saving. */
function StepActions({ jobs, onDone }: { jobs: (values: Record<string, unknown>) => Job[]; onDone: () => void }) {
  const form = useFormContext();
  const dataProvider = useDataProvider();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  // What each saved row was saved as (by its place in the form): a row edited after it was saved is updated, not
  // left as first saved.
  const [saved] = useState(() => new Map<string, { record: RaRecord; json: string }>());
  const run = async (list: Job[]): Promise<number> => {
    let count = 0;
    for (const job of list) {
      const { id: given, ...data } = job.data;
      const json = JSON.stringify(data);
      const before = given == null ? undefined : saved.get(job.path);
      let id = given as Identifier | undefined;
      if (id == null || (before && before.json !== json)) {
        let record: RaRecord;
        try {
          record = (
            before
              ? await dataProvider.update(job.resource, { id: before.record.id, data, previousData: before.record })
              : await dataProvider.create(job.resource, { data })
          ).data;
        } catch (e) {
          const err = e as Error & { body?: { errors?: Record<string, string> } };
          for (const [field, message] of Object.entries(err.body?.errors ?? {}))
            form.setError(`${job.path}.${field}`, { type: 'server', message });
          throw err;
        }
        id = record.id;
        saved.set(job.path, { record, json });
        form.setValue(`${job.path}.id`, id);
        count++;
      }
      if (job.then) count += await run(job.then(id));
    }
    return count;
  };

  const save = form.handleSubmit(async (values) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const count = await run(jobs(values));
      if (count) notify(`Saved ${count} to the draft`, { type: 'success' });
      onDone();
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  });

  return (
    <>
      {problem && (
        <Alert severity="error" sx={{ mt: 2 }}>
          {problem}
        </Alert>
      )}
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', gap: 1, mt: 2, flexWrap: 'wrap' }}>
        <Button onClick={onDone} disabled={busy}>
          Skip
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={busy}>
          Save and continue
        </Button>
      </Box>
    </>
  );
}

/** Dimensions with their rules, then the action bands. */
function ScoringStep({ icpId, onDone }: { icpId: Identifier; onDone: () => void }) {
  const ruleFields = fieldsNamed('scoringRules', ['name', 'condition', 'points']);
  return (
    <Form record={{ dimensions: [], bands: [] }}>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        Dimensions add up the points of their rules that hold, up to their maximum; the total falls in an action band,
        which says what sales does.
      </Typography>
      <Typography variant="subtitle1" component="h2">
        Dimensions and their rules
      </Typography>
      <RowsInput
        source="dimensions"
        fields={fieldsNamed('scoringDimensions', ['name', 'max'])}
        addLabel="Add dimension"
      >
        <Box sx={{ pl: { xs: 0, sm: 2 }, width: '100%' }}>
          <RowsInput source="rules" fields={ruleFields} addLabel="Add rule" />
        </Box>
      </RowsInput>
      <Typography variant="subtitle1" component="h2" sx={{ mt: 2 }}>
        Action bands
      </Typography>
      <RowsInput
        source="bands"
        fields={fieldsNamed('actionBands', ['name', 'minScore', 'action'])}
        addLabel="Add band"
      />
      <StepActions
        jobs={(values) => [
          ...((values.dimensions as Row[]) ?? []).map(({ rules, ...d }, i) => ({
            resource: 'scoringDimensions',
            path: `dimensions.${i}`,
            data: { ...d, icpId },
            then: (dimensionId: Identifier) =>
              ((rules as Row[]) ?? []).map((r, j) => ({
                resource: 'scoringRules',
                path: `dimensions.${i}.rules.${j}`,
                data: { ...r, dimensionId },
              })),
          })),
          ...((values.bands as Row[]) ?? []).map((b, i) => ({
            resource: 'actionBands',
            path: `bands.${i}`,
            data: { ...b, icpId },
          })),
        ]}
        onDone={onDone}
      />
    </Form>
  );
}
