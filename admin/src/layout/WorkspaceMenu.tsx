import { ListItemIcon, ListItemText, ListSubheader, MenuItem } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import { useQuery } from '@tanstack/react-query';
import { AppBar, Logout, useGetIdentity, UserMenu } from 'react-admin';
import type { MyWorkspace } from '../generated/graphql';
import { gql, session } from '../providers/graphql';

type Workspace = Pick<MyWorkspace, 'slug' | 'name' | 'role' | 'current'>;

/** The user's workspaces in the user menu; choosing one reloads the console in it. */
function WorkspaceItems() {
  const { data: workspaces = [] } = useQuery({
    queryKey: ['my-workspaces'],
    queryFn: () =>
      gql<{ me: { workspaces: Workspace[] } }>('{ me { workspaces { slug name role current } } }').then(
        (d) => d.me.workspaces,
      ),
  });
  if (workspaces.length < 2) return null;
  return (
    <>
      <ListSubheader sx={{ lineHeight: '32px' }}>Workspace</ListSubheader>
      {workspaces.map((w) => (
        <MenuItem
          key={w.slug}
          selected={w.current}
          onClick={() => {
            if (w.current) return;
            session.setWorkspace(w.slug);
            // Where this role starts in that workspace (its role there may differ).
            window.location.hash = '#/welcome';
            window.location.reload();
          }}
        >
          <ListItemIcon>{w.current && <CheckIcon fontSize="small" />}</ListItemIcon>
          <ListItemText primary={w.name} secondary={`${w.slug} · ${w.role.toLowerCase().replace('_', ' ')}`} />
        </MenuItem>
      ))}
    </>
  );
}

/** The user menu, named "Profile" and who is signed in, as its button reads (a name must contain the visible text). */
function ProfileMenu() {
  const { identity } = useGetIdentity();
  return (
    <UserMenu label={identity?.fullName ? `Profile: ${identity.fullName}` : 'Profile'}>
      <WorkspaceItems />
      <Logout />
    </UserMenu>
  );
}

export const AppBarWithWorkspaces = () => <AppBar userMenu={<ProfileMenu />} />;
