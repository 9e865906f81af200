import { InputType } from 'type-graphql';
import { AccountCheckFilter, AccountCheckInput } from '../shared/account-check';

@InputType()
export class TriggerEventInput extends AccountCheckInput {}

@InputType()
export class TriggerEventFilter extends AccountCheckFilter {}
