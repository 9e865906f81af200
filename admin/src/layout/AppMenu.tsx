import type { ReactNode } from 'react';
import { Box, ListSubheader } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import { Menu, usePermissions, useSidebarState } from 'react-admin';
import { ScoringMenuItems } from '../fit-score/menu';
import { RESOURCES, type Section } from '../resources/registry';
import { AUDIT_OPERATION } from '../providers/access';

/**
 * One group of the menu: a `group` of menu items named by its title (a bare
 * list item inside the menu broke ARIA's menu structure), the title shown
 * while the sidebar is open.
 */
function MenuSection({ title, children }: { title: string; children: ReactNode }) {
  const [open] = useSidebarState();
  return (
    <Box role="group" aria-label={title}>
      {open && (
        <ListSubheader
          component="div"
          aria-hidden
          disableSticky
          sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent' }}
        >
          {title}
        </ListSubheader>
      )}
      {children}
    </Box>
  );
}

/** The menu, grouped as strategy owners and auditors think of the work (the groups come from the registry). */
export function AppMenu() {
  // The operations the server's policy lets this principal use (myPermissions): a page that needs another is left out.
  const operations = usePermissions<string[] | null>().permissions ?? [];
  const may = (operation: string) => operations.includes(operation);
  const listed = (section: Section) => RESOURCES.filter((r) => r.section === section && may(r.name));
  const items = (section: Section) => listed(section).map((r) => <Menu.ResourceItem key={r.name} name={r.name} />);
  // The scoring pages choose among the ICPs.
  const scoring = may('icps');
  return (
    <Menu>
      {listed('Strategy').length > 0 && <MenuSection title="Strategy">{items('Strategy')}</MenuSection>}
      {(scoring || listed('Scoring').length > 0) && (
        <MenuSection title="Scoring">
          {scoring && <ScoringMenuItems />}
          {items('Scoring')}
        </MenuSection>
      )}
      {may('history') && (
        <MenuSection title="Audit">
          <Menu.Item to="/history" primaryText="History" leftIcon={<HistoryIcon />} />
          {may(AUDIT_OPERATION) && <Menu.Item to="/audit" primaryText="Verification" leftIcon={<VerifiedUserIcon />} />}
        </MenuSection>
      )}
      {listed('Access').length > 0 && <MenuSection title="Access">{items('Access')}</MenuSection>}
    </Menu>
  );
}
