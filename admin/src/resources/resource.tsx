import type { ReactElement, ReactNode } from 'react';
import { type Theme, useMediaQuery } from '@mui/material';
import { getNamedType, isEnumType, isInputObjectType } from 'graphql';
import {
  AutocompleteInput,
  BooleanField,
  Create,
  Datagrid,
  DateField,
  Edit,
  ExportButton,
  FilterButton,
  List,
  NumberField,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectField,
  SelectInput,
  Show,
  SimpleForm,
  SimpleList,
  TabbedShowLayout,
  TextField,
  TextInput,
  TopToolbar,
  CreateButton,
  EditButton,
  useRecordContext,
} from 'react-admin';
import { RecordHistory } from '../history/RecordHistory';
import { REASON } from '../providers/dataProvider';
import { ConflictBanner } from './ConflictBanner';
import { Chips, FieldView } from './FieldView';
import {
  editableFields,
  enumChoices,
  type FieldSpec,
  filterFields,
  humanize,
  outputField,
  REFERENCES,
  sortableFields,
  typeOf,
} from './fields';
import { GenericInputs } from './GenericInputs';
import { useSavedNotice } from './saved-notice';

export interface ResourceOptions {
  /** Columns in the list, by field name (default: a few chosen from the schema). */
  columns?: string[];
  sort?: { field: string; order: 'ASC' | 'DESC' };
  /** Fields left out of the forms. */
  omit?: string[];
  /** Instead of the generic form body. */
  inputs?: (mode: 'create' | 'edit') => ReactNode;
  /** Instead of the generic detail tab. */
  details?: () => ReactNode;
  /** Extra tabs on the show page, before History. */
  tabs?: ReactElement[];
  /** Extra buttons in the show page's toolbar. */
  showActions?: ReactNode;
  /** Extra buttons in the list's toolbar. */
  listActions?: ReactNode;
  /** The list's empty-state and create are off (e.g. API keys are issued, not edited). */
  editable?: boolean;
  creatable?: boolean;
}

const NAMEISH = ['name', 'email', 'slug', 'label'];

function defaultColumns(fields: FieldSpec[]): string[] {
  const pick = [
    ...fields.filter((f) => NAMEISH.includes(f.name)),
    ...fields.filter((f) => f.kind === 'reference'),
    ...fields.filter((f) => ['enum', 'int', 'float', 'boolean'].includes(f.kind) && f.name !== 'position'),
    ...fields.filter((f) => f.kind === 'expression'),
  ];
  return [...new Set(pick.map((f) => f.name))].slice(0, 6);
}

/** A list column for a field: an element whose props (source, label, sortable) Datagrid reads for its header. */
function column(spec: FieldSpec, sortable: string[]) {
  const label = humanize(spec.name);
  const sort = { sortable: sortable.includes(spec.name) };
  switch (spec.kind) {
    case 'reference':
      return (
        <ReferenceField
          key={spec.name}
          {...sort}
          source={spec.name}
          label={label}
          reference={spec.reference!}
          link={false}
        />
      );
    case 'int':
    case 'float':
      return <NumberField key={spec.name} {...sort} source={spec.name} label={label} />;
    case 'boolean':
      return <BooleanField key={spec.name} {...sort} source={spec.name} label={label} />;
    case 'enum':
      return <SelectField key={spec.name} {...sort} source={spec.name} label={label} choices={spec.choices} />;
    case 'strings':
      return <Chips key={spec.name} {...sort} source={spec.name} label={label} />;
    case 'expression':
      return (
        <TextField
          key={spec.name}
          {...sort}
          source={spec.name}
          label={label}
          sx={{ fontFamily: 'monospace', fontSize: 12 }}
        />
      );
    default:
      return <TextField key={spec.name} {...sort} source={spec.name} label={label} />;
  }
}

/** Filters from the list query's filter type: search, references, enums. */
function listFilters(type: string) {
  const filters: ReactElement[] = [];
  for (const [name, t] of Object.entries(filterFields(type))) {
    const named = getNamedType(t);
    if (name === 'q') filters.push(<SearchInput source="q" alwaysOn key="q" />);
    else if (REFERENCES[name])
      filters.push(
        <ReferenceInput source={name} reference={REFERENCES[name]} key={name} alwaysOn={name === 'icpId'}>
          <AutocompleteInput label={humanize(name)} />
        </ReferenceInput>,
      );
    else if (isEnumType(named) && !isInputObjectType(named))
      filters.push(<SelectInput source={name} label={humanize(name)} choices={enumChoices(named)} key={name} />);
    else if (name !== 'ids' && getNamedType(t).name === 'String')
      filters.push(<TextInput source={name} label={humanize(name)} key={name} />);
  }
  return filters;
}

const ReasonInput = () => (
  <TextInput
    source={REASON}
    label="Why (kept in the history)"
    fullWidth
    helperText="Optional: a word for the auditors on why this changed."
  />
);

/** List, show (with History), edit and create pages for a resource, from the schema. */
export function makeResource(resource: string, options: ResourceOptions = {}) {
  const type = typeOf(resource);
  const fields = editableFields(type);
  const columns = (options.columns ?? defaultColumns(fields)).map(
    (name): FieldSpec => fields.find((f) => f.name === name) ?? outputField(type, name),
  );
  const filters = listFilters(type);
  const sortable = sortableFields(resource);
  const sortField =
    options.sort ??
    (sortable.includes('rank')
      ? { field: 'rank', order: 'ASC' }
      : sortable.includes('position')
        ? { field: 'position', order: 'ASC' }
        : { field: sortable.includes('updatedAt') ? 'updatedAt' : 'createdAt', order: 'DESC' });
  const creatable = options.creatable ?? true;
  const editable = options.editable ?? true;
  const body = (mode: 'create' | 'edit') =>
    options.inputs?.(mode) ?? <GenericInputs fields={fields} mode={mode} omit={options.omit} />;

  const ListPage = () => (
    <List
      filters={filters}
      sort={sortField}
      actions={
        <TopToolbar>
          {filters.length > 1 && <FilterButton />}
          {creatable && <CreateButton />}
          {options.listActions}
          <ExportButton />
        </TopToolbar>
      }
    >
      <Rows />
    </List>
  );

  // A table on a laptop; on a narrow window, one line per record.
  const Rows = () => {
    const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
    const [first, second] = columns;
    return narrow ? (
      <SimpleList
        primaryText={(r) => String(r[first.name] ?? r.id)}
        secondaryText={second && ((r) => (second.kind === 'reference' ? '' : String(r[second.name] ?? '')))}
        linkType="show"
      />
    ) : (
      <Datagrid rowClick="show" bulkActionButtons={false}>
        {columns.map((c) => column(c, sortable))}
        <DateField source="updatedAt" label="Updated" showTime sortable={sortable.includes('updatedAt')} />
      </Datagrid>
    );
  };

  const Details = () => (
    <>
      {fields.map((f) => (
        <FieldView key={f.name} spec={f} />
      ))}
    </>
  );

  const ShowPage = () => (
    <Show
      actions={
        <TopToolbar>
          {options.showActions}
          {editable && <EditButton />}
        </TopToolbar>
      }
    >
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Details">{options.details?.() ?? <Details />}</TabbedShowLayout.Tab>
        {options.tabs}
        <TabbedShowLayout.Tab label="History" path="history">
          <HistoryTab />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );

  const EditPage = () => (
    <Edit mutationMode="pessimistic" redirect="show" mutationOptions={useSavedNotice(resource, 'saved')}>
      <SimpleForm resetOptions={{ keepDirtyValues: true }} warnWhenUnsavedChanges>
        <ConflictBanner />
        {body('edit')}
        <ReasonInput />
      </SimpleForm>
    </Edit>
  );

  const CreatePage = () => (
    <Create redirect="show" mutationOptions={useSavedNotice(resource, 'created')}>
      <SimpleForm warnWhenUnsavedChanges>
        {body('create')}
        <ReasonInput />
      </SimpleForm>
    </Create>
  );

  return {
    list: ListPage,
    show: ShowPage,
    ...(editable ? { edit: EditPage } : {}),
    ...(creatable ? { create: CreatePage } : {}),
    recordRepresentation: (r: Record<string, unknown>) => String(r.name ?? r.email ?? r.slug ?? r.id),
  };
}

function HistoryTab() {
  const record = useRecordContext();
  return record ? <RecordHistory entityId={String(record.id)} /> : null;
}
