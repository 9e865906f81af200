import { InputType } from 'type-graphql';
import { AccountCheckFilter, AccountCheckInput } from '../shared/account-check';

/** The fields of a TriggerEvent, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class TriggerEventInput extends AccountCheckInput {}

@InputType({ description: 'Conditions on TriggerEvent records: a list returns those meeting every condition given.' })
export class TriggerEventFilter extends AccountCheckFilter {}
