import { useState } from 'react';
import { Box, Button } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import {
  Datagrid,
  Edit,
  type Identifier,
  NumberField,
  ReferenceManyField,
  TabbedForm,
  TabbedShowLayout,
  TextField,
  TextInput,
  useCanAccess,
  useRecordContext,
} from 'react-admin';
import { ConflictBanner } from '../resources/ConflictBanner';
import { Chips } from '../resources/FieldView';
import { editableFields } from '../resources/fields';
import { GenericInputs } from '../resources/GenericInputs';
import { makeResource } from '../resources/resource';
import { REASON } from '../providers/dataProvider';
import { ImportIcpButton } from './IcpFile';
import { IcpCreate } from './IcpCreate';
import { IcpShow } from './IcpShow';
import { PartDialog } from './PartDialog';
import { useSavedNotice } from '../resources/saved-notice';

const fields = editableFields('Icp');
/** The ICP's own fields, grouped as the source documents group them. */
const GROUPS: { label: string; path: string; names: string[] }[] = [
  {
    label: 'Profile',
    path: '',
    names: [
      'name',
      'slug',
      'status',
      'description',
      'targetAudience',
      'valuePropositions',
      'profile',
      'characteristics',
      'exampleCompanies',
    ],
  },
  { label: 'Criteria', path: 'criteria', names: ['mustHave', 'niceToHave'] },
  {
    label: 'Buying',
    path: 'buying',
    names: ['primaryPains', 'secondaryPains', 'currentTools', 'budget', 'decisionTimeline', 'buyingProcess'],
  },
  {
    label: 'Research',
    path: 'research',
    names: ['researchChecklist', 'validationQuestions', 'crmFields', 'channels', 'notes'],
  },
];
const grouped = new Set(GROUPS.flatMap((g) => g.names));
GROUPS[0].names.push(...fields.filter((f) => !grouped.has(f.name)).map((f) => f.name));
const fieldsOf = (names: string[]) => names.map((n) => fields.find((f) => f.name === n)!).filter(Boolean);

/** The records of one kind that belong to this ICP: added and edited in a dialog, without leaving the ICP. */
function Parts({
  reference,
  sort,
  children,
}: {
  reference: string;
  sort: { field: string; order: 'ASC' | 'DESC' };
  children: React.ReactNode;
}) {
  const icp = useRecordContext();
  const { canAccess } = useCanAccess({ resource: 'icps', action: 'edit' });
  const [editing, setEditing] = useState<{ id?: Identifier }>();
  if (!icp) return null;
  return (
    <Box sx={{ width: '100%', minWidth: 0, overflowX: 'auto' }}>
      {canAccess && (
        <Button size="small" startIcon={<AddIcon />} onClick={() => setEditing({})}>
          Add
        </Button>
      )}
      <ReferenceManyField reference={reference} target="icpId" sort={sort} perPage={100}>
        <Datagrid
          rowClick={(id) => (canAccess ? (setEditing({ id }), false) : `/${reference}/${id}/show`)}
          bulkActionButtons={false}
        >
          {children}
        </Datagrid>
      </ReferenceManyField>
      {editing && (
        <PartDialog
          resource={reference}
          id={editing.id}
          defaults={{ icpId: icp.id }}
          title={editing.id == null ? 'New' : 'Edit'}
          onClose={() => setEditing(undefined)}
        />
      )}
    </Box>
  );
}

const byPosition = { field: 'position', order: 'ASC' } as const;
/** Tabs for the parts of an ICP, shared by its page and its edit form. */
const PART_TABS = [
  {
    label: 'Tiers & segments',
    path: 'tiers',
    body: (
      <Parts reference="tiers" sort={{ field: 'rank', order: 'ASC' }}>
        <NumberField source="rank" />
        <TextField source="name" />
        <TextField source="kind" />
        <TextField source="criteria" sx={{ fontFamily: 'monospace', fontSize: 12 }} />
      </Parts>
    ),
  },
  {
    label: 'Personas',
    path: 'personas',
    body: (
      <Parts reference="personas" sort={byPosition}>
        <TextField source="name" />
        <Chips source="buyingRoles" />
        <Chips source="jobTitles" />
      </Parts>
    ),
  },
  {
    label: 'Use cases',
    path: 'use-cases',
    body: (
      <Parts reference="useCasePatterns" sort={byPosition}>
        <TextField source="name" />
        <TextField source="industry" />
        <Chips source="useCases" />
      </Parts>
    ),
  },
  {
    label: 'Disqualifiers',
    path: 'disqualifiers',
    body: (
      <Parts reference="disqualifiers" sort={byPosition}>
        <TextField source="name" />
        <TextField source="expression" sx={{ fontFamily: 'monospace', fontSize: 12 }} />
        <TextField source="reason" />
      </Parts>
    ),
  },
  {
    label: 'Triggers',
    path: 'triggers',
    body: (
      <Parts reference="triggerEvents" sort={byPosition}>
        <TextField source="name" />
        <TextField source="expression" sx={{ fontFamily: 'monospace', fontSize: 12 }} />
      </Parts>
    ),
  },
  {
    label: 'Scoring',
    path: 'scoring',
    body: (
      <>
        <Parts reference="scoringDimensions" sort={byPosition}>
          <TextField source="name" />
          <NumberField source="max" />
        </Parts>
        <Parts reference="actionBands" sort={{ field: 'minScore', order: 'DESC' }}>
          <TextField source="name" />
          <NumberField source="minScore" />
          <TextField source="action" />
        </Parts>
      </>
    ),
  },
  {
    label: 'Example accounts',
    path: 'examples',
    body: (
      <Parts reference="exampleAccounts" sort={byPosition}>
        <TextField source="name" />
        <TextField source="expectedTier" />
        <TextField source="expectedBand" />
      </Parts>
    ),
  },
];

const examplesTab = PART_TABS.find((t) => t.path === 'examples')!;
const base = makeResource('icps', {
  columns: ['slug', 'name', 'status'],
  listActions: <ImportIcpButton />,
  sort: { field: 'slug', order: 'ASC' },
});

/** The ICP's page: the overview, its example accounts, versions and history. */
const ShowPage = () => (
  <IcpShow
    extraTabs={
      <TabbedShowLayout.Tab label={examplesTab.label} path={examplesTab.path}>
        {examplesTab.body}
      </TabbedShowLayout.Tab>
    }
  />
);

/** Editing an ICP: its own fields in groups, then its parts, each in a tab. */
const IcpEdit = () => (
  <Edit mutationMode="pessimistic" redirect="show" mutationOptions={useSavedNotice('icps', 'saved')}>
    <TabbedForm resetOptions={{ keepDirtyValues: true }} warnWhenUnsavedChanges>
      {GROUPS.map((g, i) => (
        <TabbedForm.Tab key={g.label} label={g.label} path={g.path}>
          {i === 0 && <ConflictBanner />}
          <GenericInputs fields={fieldsOf(g.names)} mode="edit" />
          {i === 0 && <TextInput source={REASON} label="Why (kept in the history)" fullWidth />}
        </TabbedForm.Tab>
      ))}
      {PART_TABS.map((t) => (
        <TabbedForm.Tab key={t.path} label={t.label} path={t.path}>
          {t.body}
        </TabbedForm.Tab>
      ))}
    </TabbedForm>
  </Edit>
);

export const icps = { ...base, show: ShowPage, edit: IcpEdit, create: IcpCreate };
