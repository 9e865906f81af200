import { Entity, Index } from 'typeorm';
import { ObjectType } from 'type-graphql';
import { AccountCheck } from '../shared/account-check';

@ObjectType({ description: 'A reason not to pursue an account (anti-ICP); the account is disqualified when its expression holds.' })
@Entity()
@Index(['icpId', 'name'], { unique: true })
export class Disqualifier extends AccountCheck {}
