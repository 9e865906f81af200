import { InputType } from 'type-graphql';
import { AccountCheckFilter, AccountCheckInput } from '../shared/account-check';

@InputType()
export class DisqualifierInput extends AccountCheckInput {}

@InputType()
export class DisqualifierFilter extends AccountCheckFilter {}
