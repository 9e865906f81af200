import { GroupedInputs } from '../icps/PartDialog';
import { FieldView } from './FieldView';
import { outputField } from './fields';
import { makeResource } from './resource';

/** Every record type the console edits, built from the API's schema (ICPs and API keys have their own pages). */
export const tiers = makeResource('tiers', { columns: ['icpId', 'rank', 'name', 'kind', 'criteria'] });
// A persona has 30 fields: grouped, the important ones first (the same form as on its ICP's page).
export const personas = makeResource('personas', {
  columns: ['name', 'icpId', 'tierId', 'buyingRoles', 'seniority'],
  inputs: (mode) => <GroupedInputs resource="personas" mode={mode} parents />,
});
export const useCasePatterns = makeResource('useCasePatterns', { columns: ['name', 'icpId', 'kind', 'industry'] });
export const disqualifiers = makeResource('disqualifiers', { columns: ['name', 'icpId', 'category', 'expression'] });
export const triggerEvents = makeResource('triggerEvents', { columns: ['name', 'icpId', 'category', 'expression'] });
export const scoringDimensions = makeResource('scoringDimensions', { columns: ['name', 'icpId', 'max', 'position'] });
export const scoringRules = makeResource('scoringRules', { columns: ['name', 'dimensionId', 'condition', 'points'] });
export const actionBands = makeResource('actionBands', {
  columns: ['name', 'icpId', 'minScore', 'action'],
  sort: { field: 'minScore', order: 'DESC' },
});
export const exampleAccounts = makeResource('exampleAccounts', {
  columns: ['name', 'icpId', 'expectedTier', 'expectedBand', 'expectedDisqualified'],
});
export const attributeDefinitions = makeResource('attributeDefinitions', {
  columns: ['name', 'type', 'unit', 'allowedValues'],
  sort: { field: 'name', order: 'ASC' },
});
// A user's page shows their role in this workspace (their membership; admins change it there).
const USER_FIELDS = ['email', 'name', 'role'].map((name) => outputField('AppUser', name));
export const appUsers = makeResource('appUsers', {
  columns: ['email', 'name', 'role'],
  details: () => USER_FIELDS.map((f) => <FieldView key={f.name} spec={f} />),
  sort: { field: 'email', order: 'ASC' },
  editable: false,
  creatable: false,
});
export const memberships = makeResource('memberships', { columns: ['userId', 'role'], creatable: false });
