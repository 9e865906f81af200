import { Card, CardContent, Typography } from '@mui/material';
import { Navigate } from 'react-router-dom';
import { Title, useGetIdentity, usePermissions } from 'react-admin';
import { landingPage } from '../providers/access';
import { RESOURCES } from '../resources/registry';

/**
 * Where a principal starts (sign-in, a switch of workspace): the first list
 * its role may open, else this page, which says who they are and what the
 * server lets them do (a client's tools use the API).
 */
export default function Welcome() {
  const { identity } = useGetIdentity();
  const { permissions, isPending } = usePermissions<string[] | null>();
  if (isPending) return null;
  const operations = permissions ?? [];
  const start = landingPage(
    operations,
    RESOURCES.map((r) => r.name),
  );
  if (start !== '/welcome') return <Navigate to={start} replace />;
  const api = operations.filter((o) => !['login', 'logout', 'me', 'myPermissions', 'changePassword'].includes(o));
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Welcome" />
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Signed in as {identity?.fullName}
        </Typography>
        <Typography gutterBottom>
          Your role has no records to browse in the console. Client tools use the API at /graphql with these operations:
        </Typography>
        <Typography component="ul" data-testid="operations">
          {api.map((o) => (
            <li key={o}>
              <code>{o}</code>
            </li>
          ))}
        </Typography>
      </CardContent>
    </Card>
  );
}
