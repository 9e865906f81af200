import { Entity, Unique } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { AccountCheck } from '../shared/account-check';

@ObjectType({
  description: 'A reason not to pursue an account (anti-ICP); the account is disqualified when its expression holds.',
})
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_disqualifier_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class Disqualifier extends AccountCheck {}
