import { ListSubheader } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import { Menu, useCanAccess, useSidebarState } from 'react-admin';
import { ScoringMenuItems } from '../scoring/menu';

const Section = ({ title }: { title: string }) => {
  const [open] = useSidebarState();
  return open ? (
    <ListSubheader disableSticky sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent' }}>
      {title}
    </ListSubheader>
  ) : null;
};

/** The menu, grouped as strategy owners and auditors think of the work. */
export function AppMenu() {
  const { canAccess: admin } = useCanAccess({ resource: 'apiKeys', action: 'create' });
  return (
    <Menu>
      <Section title="Strategy" />
      <Menu.ResourceItem name="icps" />
      <Menu.ResourceItem name="tiers" />
      <Menu.ResourceItem name="personas" />
      <Menu.ResourceItem name="useCasePatterns" />
      <Menu.ResourceItem name="disqualifiers" />
      <Menu.ResourceItem name="triggerEvents" />
      <Section title="Scoring" />
      <ScoringMenuItems />
      <Menu.ResourceItem name="scoringDimensions" />
      <Menu.ResourceItem name="scoringRules" />
      <Menu.ResourceItem name="actionBands" />
      <Menu.ResourceItem name="exampleAccounts" />
      <Menu.ResourceItem name="attributeDefinitions" />
      <Section title="Audit" />
      <Menu.Item to="/history" primaryText="History" leftIcon={<HistoryIcon />} />
      {admin && <Section title="Access" />}
      {admin && <Menu.ResourceItem name="appUsers" />}
      {admin && <Menu.ResourceItem name="memberships" />}
      {admin && <Menu.ResourceItem name="apiKeys" />}
    </Menu>
  );
}
