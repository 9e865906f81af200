import { InputType } from 'type-graphql';
import { AccountCheckFilter, AccountCheckInput } from '../shared/account-check';

/** The fields of a Disqualifier, written once: its Create and Update inputs are made from them (core/inputs.ts). */
export class DisqualifierInput extends AccountCheckInput {}

@InputType({ description: 'Conditions on Disqualifier records: a list returns those meeting every condition given.' })
export class DisqualifierFilter extends AccountCheckFilter {}
