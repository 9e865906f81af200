import { lazy, Suspense } from 'react';
import { Route } from 'react-router-dom';
import { Authenticated, Loading } from 'react-admin';

// Each page is its own chunk, loaded when its route is first visited.
const Playground = lazy(() => import('./Playground'));
const BatchScoring = lazy(() => import('./BatchScoring'));
const Simulation = lazy(() => import('./Simulation'));

const page = (Page: React.ComponentType) => (
  <Authenticated>
    <Suspense fallback={<Loading loadingPrimary="Loading" loadingSecondary="" />}>
      <Page />
    </Suspense>
  </Authenticated>
);

/** Children for React-Admin's <CustomRoutes>. */
export const scoringRoutes = [
  <Route key="playground" path="/playground" element={page(Playground)} />,
  <Route key="batch" path="/batch" element={page(BatchScoring)} />,
  <Route key="simulate" path="/simulate" element={page(Simulation)} />,
];
