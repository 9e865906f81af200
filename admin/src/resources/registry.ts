import type { ComponentType } from 'react';
import type { OwnOperations } from '../providers/access';
import HubIcon from '@mui/icons-material/Hub';
import LayersIcon from '@mui/icons-material/Layers';
import PeopleIcon from '@mui/icons-material/People';
import LightbulbIcon from '@mui/icons-material/Lightbulb';
import BlockIcon from '@mui/icons-material/Block';
import BoltIcon from '@mui/icons-material/Bolt';
import FunctionsIcon from '@mui/icons-material/Functions';
import RuleIcon from '@mui/icons-material/Rule';
import FlagIcon from '@mui/icons-material/Flag';
import FactCheckIcon from '@mui/icons-material/FactCheck';
import DataObjectIcon from '@mui/icons-material/DataObject';
import PersonIcon from '@mui/icons-material/Person';
import BadgeIcon from '@mui/icons-material/Badge';
import KeyIcon from '@mui/icons-material/Key';
import MailIcon from '@mui/icons-material/Mail';
import WebhookIcon from '@mui/icons-material/Webhook';

/** A page React-Admin mounts for a resource. */
export type View = 'list' | 'show' | 'edit' | 'create';
/** The menu's groups; Access is shown to admins only. */
export type Section = 'Strategy' | 'Scoring' | 'Access';

/** Every resource the console mounts, in menu order: the one list App.tsx and the menu read. */
export const ALL_VIEWS: View[] = ['list', 'show', 'edit', 'create'];
export interface ResourceEntry {
  name: string;
  label: string;
  icon: ComponentType;
  section: Section;
  views?: View[];
  /** The operations it calls instead of the generic create/update/delete (what the access check asks about). */
  operations?: OwnOperations;
}
export const RESOURCES: ResourceEntry[] = [
  { name: 'icps', section: 'Strategy', label: 'ICPs', icon: HubIcon },
  { name: 'tiers', section: 'Strategy', label: 'Tiers & segments', icon: LayersIcon },
  { name: 'personas', section: 'Strategy', label: 'Personas', icon: PeopleIcon },
  { name: 'useCasePatterns', section: 'Strategy', label: 'Use-case patterns', icon: LightbulbIcon },
  { name: 'disqualifiers', section: 'Strategy', label: 'Disqualifiers', icon: BlockIcon },
  { name: 'triggerEvents', section: 'Strategy', label: 'Trigger events', icon: BoltIcon },
  { name: 'scoringDimensions', section: 'Scoring', label: 'Scoring dimensions', icon: FunctionsIcon },
  { name: 'scoringRules', section: 'Scoring', label: 'Scoring rules', icon: RuleIcon },
  { name: 'actionBands', section: 'Scoring', label: 'Action bands', icon: FlagIcon },
  { name: 'exampleAccounts', section: 'Scoring', label: 'Example accounts', icon: FactCheckIcon },
  { name: 'attributeDefinitions', section: 'Scoring', label: 'Attribute catalogue', icon: DataObjectIcon },
  // Users are global: a workspace sees its members and changes only their memberships; people join by invitation.
  { name: 'appUsers', section: 'Access', label: 'Users', icon: PersonIcon, views: ['list', 'show'] },
  { name: 'memberships', section: 'Access', label: 'Memberships', icon: BadgeIcon, views: ['list', 'show', 'edit'] },
  {
    name: 'invitations',
    section: 'Access',
    label: 'Invitations',
    icon: MailIcon,
    views: ['list', 'show', 'create'],
    operations: { create: 'inviteUser', edit: 'revokeInvitation' },
  },
  {
    name: 'apiKeys',
    section: 'Access',
    label: 'API keys',
    icon: KeyIcon,
    views: ['list', 'show', 'create'],
    operations: { edit: 'revokeApiKey' },
  },
  // Events POSTed out on publish; the secret is shown once at creation, the deliveries are on each webhook's page.
  { name: 'webhooks', section: 'Access', label: 'Webhooks', icon: WebhookIcon },
];
