import { ListSubheader } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import { Menu, useCanAccess, useSidebarState } from 'react-admin';
import { ScoringMenuItems } from '../fit-score/menu';
import { RESOURCES, type Section } from '../resources/registry';

const SectionTitle = ({ title }: { title: string }) => {
  const [open] = useSidebarState();
  return open ? (
    <ListSubheader disableSticky sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent' }}>
      {title}
    </ListSubheader>
  ) : null;
};

/** The menu, grouped as strategy owners and auditors think of the work (the groups come from the registry). */
export function AppMenu() {
  const { canAccess: admin } = useCanAccess({ resource: 'apiKeys', action: 'create' });
  const items = (section: Section) =>
    RESOURCES.filter((r) => r.section === section).map((r) => <Menu.ResourceItem key={r.name} name={r.name} />);
  return (
    <Menu>
      <SectionTitle title="Strategy" />
      {items('Strategy')}
      <SectionTitle title="Scoring" />
      <ScoringMenuItems />
      {items('Scoring')}
      <SectionTitle title="Audit" />
      <Menu.Item to="/history" primaryText="History" leftIcon={<HistoryIcon />} />
      {admin && <SectionTitle title="Access" />}
      {admin && items('Access')}
    </Menu>
  );
}
