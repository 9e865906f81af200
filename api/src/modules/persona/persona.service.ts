import { CrudService } from '../../core/crud.service';
import { icpChild } from '../shared/icp-child';
import { Tier } from '../tier/tier.entity';
import { BuyingRole, Persona } from './persona.entity';
import { PersonaInput } from './persona.inputs';

const base = icpChild<Persona>();

export const personaService = new CrudService<Persona>({
  ...base,
  references: [...base.references!, { field: 'tierId', entity: Tier, label: 'tier', sameIcp: true }],
  entity: Persona,
  label: 'persona',
  input: PersonaInput,
  searchable: ['name', 'description', 'quote'],
  sortable: ['position', 'name', 'buyingRole', 'createdAt', 'updatedAt'],
  defaultSort: { position: 'ASC' },
  beforeWrite: async (_ctx, next) => {
    next.buyingRole ??= BuyingRole.OTHER;
  },
});
