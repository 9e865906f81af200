import { assertExpressions } from '../../fit-score/expressions';
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
  sortable: ['position', 'name', 'buyingRoles', 'createdAt', 'updatedAt'],
  defaultSort: { position: 'ASC' },
  beforeWrite: async (ctx, next) => {
    if (!(next.buyingRoles as BuyingRole[] | undefined)?.length) next.buyingRoles = [BuyingRole.OTHER];
    await assertExpressions(ctx, [
      { path: 'input.appliesWhen', expression: next.appliesWhen as string | null, expect: 'bool' },
    ]);
  },
});
