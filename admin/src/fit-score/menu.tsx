import { MenuItemLink } from 'react-admin';
import SpeedIcon from '@mui/icons-material/Speed';
import FormatListNumberedIcon from '@mui/icons-material/FormatListNumbered';
import CompareArrowsIcon from '@mui/icons-material/CompareArrows';

/** Menu entries for the scoring pages (their routes are in ./routes). */
export const ScoringMenuItems = () => (
  <>
    <MenuItemLink to="/playground" primaryText="Score playground" leftIcon={<SpeedIcon />} />
    <MenuItemLink to="/batch" primaryText="Batch scoring" leftIcon={<FormatListNumberedIcon />} />
    <MenuItemLink to="/simulate" primaryText="Simulate draft" leftIcon={<CompareArrowsIcon />} />
  </>
);
