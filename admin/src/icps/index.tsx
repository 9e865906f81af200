import { Box } from '@mui/material';
import {
  CreateButton,
  Datagrid,
  Edit,
  NumberField,
  ReferenceManyField,
  TabbedForm,
  TabbedShowLayout,
  TextField,
  TextInput,
  useRecordContext,
} from 'react-admin';
import { ConflictBanner } from '../resources/ConflictBanner';
import { Chips, FieldView } from '../resources/FieldView';
import { editableFields } from '../resources/fields';
import { GenericInputs } from '../resources/GenericInputs';
import { makeResource } from '../resources/resource';
import { REASON } from '../providers/dataProvider';
import { ExportIcpButton, ImportIcpButton } from './IcpFile';
import { IcpVersions } from './IcpVersions';
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

/** The records of one kind that belong to this ICP, with a button to add one. */
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
  if (!icp) return null;
  return (
    <Box sx={{ width: '100%' }}>
      <CreateButton resource={reference} state={{ record: { icpId: icp.id } }} />
      <ReferenceManyField reference={reference} target="icpId" sort={sort} perPage={100}>
        <Datagrid rowClick={(id) => `/${reference}/${id}/show`} bulkActionButtons={false}>
          {children}
        </Datagrid>
      </ReferenceManyField>
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

const base = makeResource('icps', {
  columns: ['slug', 'name', 'status'],
  listActions: <ImportIcpButton />,
  showActions: <ExportIcpButton />,
  sort: { field: 'slug', order: 'ASC' },
  details: () => (
    <>
      {fieldsOf(GROUPS.flatMap((g) => g.names)).map((f) => (
        <FieldView key={f.name} spec={f} />
      ))}
    </>
  ),
  tabs: [
    ...PART_TABS.map((t) => (
      <TabbedShowLayout.Tab key={t.path} label={t.label} path={t.path}>
        {t.body}
      </TabbedShowLayout.Tab>
    )),
    <TabbedShowLayout.Tab key="versions" label="Versions" path="versions">
      <IcpVersions />
    </TabbedShowLayout.Tab>,
  ],
});

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

export const icps = { ...base, edit: IcpEdit };
