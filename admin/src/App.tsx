import { Admin, Resource } from 'react-admin';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { icps } from './icps';
import { personas } from './personas';
import { tiers } from './tiers';

export const App = () => (
  <Admin dataProvider={dataProvider} authProvider={authProvider} disableTelemetry requireAuth title="ICP Registry">
    <Resource name="icps" {...icps} options={{ label: 'ICPs' }} recordRepresentation="name" />
    <Resource name="tiers" {...tiers} options={{ label: 'Tiers & segments' }} recordRepresentation="name" />
    <Resource name="personas" {...personas} recordRepresentation="name" />
  </Admin>
);
