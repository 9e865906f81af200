import { Admin, CustomRoutes, Resource } from 'react-admin';
import { QueryClient } from '@tanstack/react-query';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { icps } from './icps';
import { personas } from './personas';
import { tiers } from './tiers';
import { ScoringLayout } from './scoring/menu';
import { scoringRoutes } from './scoring/routes';

// No automatic retries: a refused or failed request is shown at once (an auth check is not retried with back-off).
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });

export const App = () => (
  <Admin queryClient={queryClient} dataProvider={dataProvider} authProvider={authProvider} disableTelemetry title="ICP Registry" layout={ScoringLayout}>
    <Resource name="icps" {...icps} options={{ label: 'ICPs' }} recordRepresentation="name" />
    <Resource name="tiers" {...tiers} options={{ label: 'Tiers & segments' }} recordRepresentation="name" />
    <Resource name="personas" {...personas} recordRepresentation="name" />
    {/* Score playground, batch scoring, simulation: lazy-loaded pages (admin/src/scoring). */}
    <CustomRoutes>{scoringRoutes}</CustomRoutes>
  </Admin>
);
