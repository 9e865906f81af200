import { Datagrid, Edit, List, NumberField, NumberInput, ReferenceField, ReferenceInput, required, SimpleForm, TextField, TextInput } from 'react-admin';

const TierList = () => (
  <List filters={[<ReferenceInput source="icpId" reference="icps" key="icp" alwaysOn />]} sort={{ field: 'rank', order: 'ASC' }}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <ReferenceField source="icpId" reference="icps" link="show" />
      <NumberField source="rank" />
      <TextField source="name" />
      <TextField source="criteria" />
    </Datagrid>
  </List>
);

const TierEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="name" validate={required()} fullWidth />
      <NumberInput source="rank" validate={required()} />
      <TextInput source="criteria" label="Criteria (CEL over account)" multiline fullWidth helperText="e.g. account.employees >= 200 && 'aws' in account.cloudProviders" />
      <TextInput source="action" fullWidth />
      <TextInput source="description" multiline fullWidth />
    </SimpleForm>
  </Edit>
);

export const tiers = { list: TierList, edit: TierEdit };
