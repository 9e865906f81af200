import { ArrayField, ChipField, Datagrid, List, NumberField, ReferenceManyField, SearchInput, Show, SingleFieldList, TabbedShowLayout, TextField } from 'react-admin';

const IcpList = () => (
  <List filters={[<SearchInput source="q" alwaysOn key="q" />]} sort={{ field: 'slug', order: 'ASC' }}>
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="slug" />
      <TextField source="name" />
      <ChipField source="status" />
      <NumberField source="revision" />
    </Datagrid>
  </List>
);

const IcpShow = () => (
  <Show>
    <TabbedShowLayout>
      <TabbedShowLayout.Tab label="Profile">
        <TextField source="name" />
        <TextField source="description" />
        <TextField source="targetAudience" />
        <ArrayField source="valuePropositions">
          <SingleFieldList linkType={false}>
            <ChipField source="" />
          </SingleFieldList>
        </ArrayField>
      </TabbedShowLayout.Tab>
      <TabbedShowLayout.Tab label="Tiers & segments" path="tiers">
        <ReferenceManyField reference="tiers" target="icpId" sort={{ field: 'rank', order: 'ASC' }}>
          <Datagrid rowClick="edit" bulkActionButtons={false}>
            <NumberField source="rank" />
            <TextField source="name" />
            <TextField source="criteria" />
          </Datagrid>
        </ReferenceManyField>
      </TabbedShowLayout.Tab>
      <TabbedShowLayout.Tab label="Personas" path="personas">
        <ReferenceManyField reference="personas" target="icpId">
          <Datagrid rowClick="edit" bulkActionButtons={false}>
            <TextField source="name" />
            <ChipField source="buyingRole" />
          </Datagrid>
        </ReferenceManyField>
      </TabbedShowLayout.Tab>
    </TabbedShowLayout>
  </Show>
);

export const icps = { list: IcpList, show: IcpShow };
