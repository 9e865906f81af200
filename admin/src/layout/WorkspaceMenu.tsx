import { ListItemIcon, ListItemText, ListSubheader, MenuItem } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import { useQuery } from '@tanstack/react-query';
import { AppBar, Logout, useGetIdentity, UserMenu } from 'react-admin';
import type { MyWorkspace } from '../generated/graphql';
import { gql, session } from '../providers/graphql';

type Workspace = Pick<MyWorkspace, 'slug' | 'name' | 'role'>;

/** The user's workspaces in the user menu; choosing one reloads the console in it. */
function WorkspaceItems() {
  // The one this console acts in is me.workspaceSlug (a workspace's entry is the same whichever is current).
  const { data: { workspaces = [], current = '' } = {} } = useQuery({
    queryKey: ['my-workspaces'],
    queryFn: () =>
      gql<{ me: { workspaceSlug: string; workspaces: Workspace[] } }>(
        '{ me { workspaceSlug workspaces { slug name role } } }',
      ).then((d) => ({ workspaces: d.me.workspaces, current: d.me.workspaceSlug })),
  });
  if (workspaces.length < 2) return null;
  return (
    <>
      <ListSubheader sx={{ lineHeight: '32px' }}>Workspace</ListSubheader>
      {workspaces.map((w) => (
        <MenuItem
          key={w.slug}
          selected={w.slug === current}
          onClick={() => {
            if (w.slug === current) return;
            session.setWorkspace(w.slug);
            // Where this role starts in that workspace (its role there may differ).
            window.location.hash = '#/welcome';
            window.location.reload();
          }}
        >
          <ListItemIcon>{w.slug === current && <CheckIcon fontSize="small" />}</ListItemIcon>
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
