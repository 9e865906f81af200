import { Entity, Index } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { AccountCheck } from '../shared/account-check';

@ObjectType({ description: 'An event that makes an account likely to buy now; observed when its expression (usually on account.signals) holds.' })
@Entity()
@Index(['icpId', 'name'], { unique: true })
export class TriggerEvent extends AccountCheck {}
