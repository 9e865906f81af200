import { type ComponentType, lazy } from 'react';
import { Route } from 'react-router-dom';
import { Admin, Authenticated, CustomRoutes, Layout, Resource } from 'react-admin';
import { QueryClient } from '@tanstack/react-query';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { AppMenu } from './layout/AppMenu';
import { ALL_VIEWS, RESOURCES, type View } from './resources/registry';
import { AppBarWithWorkspaces } from './layout/WorkspaceMenu';
import { scoringRoutes } from './fit-score/routes';
import { theme } from './layout/theme';

// No automatic retries: a refused or failed request is shown at once (an auth check is not retried with back-off).
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });

// The pages are loaded after sign-in, in their own chunks: the first page is only the sign-in form.
const pages = () => import('./resources/all');
const view = (name: string, v: View) =>
  lazy(() =>
    pages().then((m) => ({ default: (m as unknown as Record<string, Record<View, ComponentType>>)[name][v] })),
  );
const HistoryPage = lazy(() => import('./history/HistoryPage'));
const AuditPage = lazy(() => import('./audit/AuditPage'));
const AcceptInvitation = lazy(() => import('./invitations/AcceptInvitation'));
const Welcome = lazy(() => import('./layout/Welcome'));

// The pages are fetched while the sign-in request is on its way, not after it.
const signInAndPrefetch: typeof authProvider = {
  ...authProvider,
  login: (params) => {
    void pages();
    return authProvider.login(params);
  },
};

const AppLayout = ({ children }: { children: React.ReactNode }) => (
  <Layout menu={AppMenu} appBar={AppBarWithWorkspaces}>
    {children}
  </Layout>
);
const represent = (r: Record<string, unknown>) => String(r.name ?? r.email ?? r.slug ?? r.id);

export const App = () => (
  <Admin
    queryClient={queryClient}
    dataProvider={dataProvider}
    authProvider={signInAndPrefetch}
    layout={AppLayout}
    theme={theme}
    disableTelemetry
    title="ICP Registry"
  >
    {RESOURCES.map(({ name, label, icon, views = ALL_VIEWS }) => (
      <Resource
        key={name}
        name={name}
        icon={icon}
        options={{ label }}
        recordRepresentation={represent}
        {...Object.fromEntries(views.map((v) => [v, view(name, v)]))}
      />
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
      <Route path="/audit" element={<Authenticated children={<AuditPage />} />} />
      <Route
        path="/welcome"
        element={
          <Authenticated>
            <Welcome />
          </Authenticated>
        }
      />
      {scoringRoutes}
    </CustomRoutes>
    {/* Open to anyone with an invitation link, signed in or not. */}
    <CustomRoutes noLayout>
      <Route path="/accept" element={<AcceptInvitation />} />
    </CustomRoutes>
  </Admin>
);
