import { Entity, Unique } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { AccountCheck } from '../shared/account-check';

@ObjectType({
  description:
    'An event that makes an account likely to buy now; observed when its expression (usually on account.signals) holds.',
})
@Entity()
// Deferrable, so reverting a whole ICP can swap ranks and names inside one transaction.
@Unique('uq_trigger_event_icp_id_name', ['icpId', 'name'], { deferrable: 'INITIALLY IMMEDIATE' })
export class TriggerEvent extends AccountCheck {}
