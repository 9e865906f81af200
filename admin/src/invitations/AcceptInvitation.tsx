import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, Box, Button, Card, CardContent, TextField, Typography } from '@mui/material';
import { gql, session } from '../providers/graphql';

/**
 * The page an invitation link opens (#/accept?token=…), signed in or not:
 * signed in as the person invited, they join; without an account, they
 * choose a password and their account is made as they join.
 */
export default function AcceptInvitation() {
  const params = new URLSearchParams(useLocation().search);
  const navigate = useNavigate();
  const [token, setToken] = useState(params.get('token') ?? '');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const [joined, setJoined] = useState<string>();
  const signedIn = session.active();
  // Signed in: the invitations waiting for this account, accepted with a click (no token needed).
  const [mine, setMine] = useState<{ id: string; workspaceSlug: string; role: string }[]>([]);
  useEffect(() => {
    if (signedIn)
      void gql('{ myInvitations { id workspaceSlug role } }').then(
        (d) => setMine(d.myInvitations),
        () => undefined,
      );
  }, [signedIn]);
  const done = (r: { workspaceSlug: string; role: string }) =>
    setJoined(`${r.workspaceSlug} (${r.role.toLowerCase().replace('_', ' ')})`);
  const acceptMine = async (id: string) => {
    try {
      done(
        (await gql('mutation($id: ID!) { acceptMyInvitation(id: $id) { workspaceSlug role } }', { id }))
          .acceptMyInvitation,
      );
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  const accept = async () => {
    setProblem(undefined);
    try {
      const { acceptInvitation } = await gql(
        'mutation($t: String!, $p: String, $n: String) { acceptInvitation(token: $t, password: $p, name: $n) { workspaceSlug role } }',
        {
          t: token.trim(),
          p: signedIn ? null : password,
          n: name || null,
        },
      );
      done(acceptInvitation);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', mt: 8 }}>
      <Card sx={{ width: 440 }}>
        <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Typography variant="h6">Accept an invitation</Typography>
          {joined ? (
            <>
              <Alert severity="success">You joined {joined}.</Alert>
              <Button variant="contained" onClick={() => navigate(signedIn ? '/icps' : '/login')}>
                {signedIn ? 'Open the console' : 'Sign in'}
              </Button>
            </>
          ) : (
            <>
              {mine.map((i) => (
                <Button key={i.id} variant="outlined" onClick={() => void acceptMine(i.id)}>
                  Join {i.workspaceSlug} as {i.role.toLowerCase().replace('_', ' ')}
                </Button>
              ))}
              <TextField label="Invitation token" value={token} onChange={(e) => setToken(e.target.value)} fullWidth />
              {signedIn ? (
                <Typography variant="body2" color="text.secondary">
                  You are signed in: the invitation must be for your email.
                </Typography>
              ) : (
                <>
                  <Typography variant="body2" color="text.secondary">
                    New here? Choose a password (12 characters or more). Already have an account? Sign in first, then
                    open the link again.
                  </Typography>
                  <TextField label="Your name" value={name} onChange={(e) => setName(e.target.value)} fullWidth />
                  <TextField
                    label="Password"
                    type="password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    fullWidth
                  />
                </>
              )}
              {problem && <Alert severity="error">{problem}</Alert>}
              <Button variant="contained" disabled={!token.trim()} onClick={() => void accept()}>
                Accept
              </Button>
            </>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
