import { Create, Datagrid, Edit, List, ReferenceField, ReferenceInput, required, SearchInput, SelectInput, SimpleForm, TextField, TextInput } from 'react-admin';

const ROLES = ['ECONOMIC_BUYER', 'DECISION_MAKER', 'CHAMPION', 'FUNCTIONAL_BUYER', 'TECHNICAL_BUYER', 'INFLUENCER', 'USER', 'BLOCKER', 'EXPANSION', 'OTHER'].map((id) => ({
  id,
  name: id.toLowerCase().replace(/_/g, ' '),
}));

const PersonaList = () => (
  <List filters={[<SearchInput source="q" alwaysOn key="q" />, <ReferenceInput source="icpId" reference="icps" key="icp" />]} sort={{ field: 'updatedAt', order: 'DESC' }}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="name" />
      <ReferenceField source="icpId" reference="icps" link="show" />
      <TextField source="buyingRole" />
    </Datagrid>
  </List>
);

// Create and Edit share the inputs.
const PersonaInputs = () => (
  <>
    <ReferenceInput source="icpId" reference="icps">
      <SelectInput optionText="name" validate={required()} />
    </ReferenceInput>
    <TextInput source="name" validate={required()} fullWidth />
    <SelectInput source="buyingRole" choices={ROLES} />
    <TextInput source="description" multiline fullWidth />
    <TextInput source="quote" multiline fullWidth />
    <TextInput source="budgetAuthority" fullWidth />
  </>
);

const PersonaCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <PersonaInputs />
    </SimpleForm>
  </Create>
);

const PersonaEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <PersonaInputs />
    </SimpleForm>
  </Edit>
);

export const personas = { list: PersonaList, edit: PersonaEdit, create: PersonaCreate };
