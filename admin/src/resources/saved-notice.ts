import { type Identifier, type RaRecord, useNotify, useRedirect } from 'react-admin';
import { RESOURCES } from './registry';

/** What a save says: strategy and scoring records are the draft, which client tools do not see until a publish. */
export function savedMessage(resource: string, verb: 'created' | 'saved'): string {
  const draft = RESOURCES.find((r) => r.name === resource)?.section !== 'Access';
  return draft
    ? `${verb === 'created' ? 'Created' : 'Saved'} in the draft: not live until the ICP is published`
    : `${verb === 'created' ? 'Created' : 'Saved'}`;
}

/** An Edit's or Create's mutationOptions: the notice above, then the record's page (React-Admin's redirect="show"). */
export function useSavedNotice(resource: string, verb: 'created' | 'saved') {
  const notify = useNotify();
  const redirect = useRedirect();
  return {
    onSuccess: (data: RaRecord<Identifier>) => {
      notify(savedMessage(resource, verb), { type: 'success' });
      redirect('show', resource, data.id, data);
    },
  };
}
