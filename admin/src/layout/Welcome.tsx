import { Card, CardContent, Typography } from '@mui/material';
import { Title, useGetIdentity, usePermissions } from 'react-admin';

/** The page of a principal who may open no list (a client): who they are and what the server lets them do. */
export default function Welcome() {
  const { identity } = useGetIdentity();
  const operations = usePermissions<string[] | null>().permissions ?? [];
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
