import { ComponentType, lazy } from 'react';
import { Route } from 'react-router-dom';
import { Admin, Authenticated, CustomRoutes, Layout, Resource } from 'react-admin';
import { QueryClient } from '@tanstack/react-query';
import HubIcon from '@mui/icons-material/Hub';
import LayersIcon from '@mui/icons-material/Layers';
import PeopleIcon from '@mui/icons-material/People';
import LightbulbIcon from '@mui/icons-material/Lightbulb';
import BlockIcon from '@mui/icons-material/Block';
import BoltIcon from '@mui/icons-material/Bolt';
import FunctionsIcon from '@mui/icons-material/Functions';
import RuleIcon from '@mui/icons-material/Rule';
import FlagIcon from '@mui/icons-material/Flag';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import DataObjectIcon from '@mui/icons-material/DataObject';
import PersonIcon from '@mui/icons-material/Person';
import BadgeIcon from '@mui/icons-material/Badge';
import KeyIcon from '@mui/icons-material/Key';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { AppMenu } from './layout/AppMenu';
import { AppBarWithWorkspaces } from './layout/WorkspaceMenu';
import { scoringRoutes } from './scoring/routes';

// No automatic retries: a refused or failed request is shown at once (an auth check is not retried with back-off).
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });

type View = 'list' | 'show' | 'edit' | 'create';
// The pages are loaded after sign-in, in their own chunks: the first page is only the sign-in form.
const pages = () => import('./resources/all');
const view = (name: string, v: View) => lazy(() => pages().then((m) => ({ default: (m as unknown as Record<string, Record<View, ComponentType>>)[name][v] })));
const HistoryPage = lazy(() => import('./history/HistoryPage'));

const ALL: View[] = ['list', 'show', 'edit', 'create'];
const RESOURCES: { name: string; label: string; icon: ComponentType; views?: View[] }[] = [
  { name: 'icps', label: 'ICPs', icon: HubIcon, views: ['list', 'show', 'edit'] },
  { name: 'tiers', label: 'Tiers & segments', icon: LayersIcon },
  { name: 'personas', label: 'Personas', icon: PeopleIcon },
  { name: 'useCasePatterns', label: 'Use-case patterns', icon: LightbulbIcon },
  { name: 'disqualifiers', label: 'Disqualifiers', icon: BlockIcon },
  { name: 'triggerEvents', label: 'Trigger events', icon: BoltIcon },
  { name: 'scoringDimensions', label: 'Scoring dimensions', icon: FunctionsIcon },
  { name: 'scoringRules', label: 'Scoring rules', icon: RuleIcon },
  { name: 'actionBands', label: 'Action bands', icon: FlagIcon },
  { name: 'exampleAccounts', label: 'Example accounts', icon: FactCheckIcon },
  { name: 'attributeDefinitions', label: 'Attribute catalogue', icon: DataObjectIcon },
  { name: 'appUsers', label: 'Users', icon: PersonIcon },
  { name: 'memberships', label: 'Memberships', icon: BadgeIcon },
  { name: 'apiKeys', label: 'API keys', icon: KeyIcon, views: ['list', 'show', 'create'] },
];

// The pages are fetched while the sign-in request is on its way, not after it.
const signInAndPrefetch: typeof authProvider = {
  ...authProvider,
  login: (params) => {
    void pages();
    return authProvider.login(params);
  },
};

const AppLayout = ({ children }: { children: React.ReactNode }) => <Layout menu={AppMenu} appBar={AppBarWithWorkspaces}>{children}</Layout>;
const represent = (r: Record<string, unknown>) => String(r.name ?? r.email ?? r.slug ?? r.id);

export const App = () => (
  <Admin queryClient={queryClient} dataProvider={dataProvider} authProvider={signInAndPrefetch} layout={AppLayout} disableTelemetry title="ICP Registry">
    {RESOURCES.map(({ name, label, icon, views = ALL }) => (
      <Resource key={name} name={name} icon={icon} options={{ label }} recordRepresentation={represent} {...Object.fromEntries(views.map((v) => [v, view(name, v)]))} />
    ))}
    <CustomRoutes>
      <Route
        path="/history"
        element={
          <Authenticated>
            <HistoryPage />
          </Authenticated>
        }
      />
      {scoringRoutes}
    </CustomRoutes>
  </Admin>
);
