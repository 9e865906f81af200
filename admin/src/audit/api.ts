import type { GraphQLInputObjectType } from 'graphql';
import { gql, schema } from '../providers/graphql';
import type * as G from '../generated/graphql';
import type { Selected } from '../providers/selected';

/** The auditor's page's calls to the API: the current checkpoint, verification, the history's public keys. */

export type Checkpoint = Selected<
  G.HistoryCheckpoint,
  'workspace' | 'chainIndex' | 'headHash' | 'at' | 'keyId' | 'signature'
>;
export type PublicKey = Selected<
  G.HistoryPublicKey,
  'keyId' | 'publicKey' | 'current' | 'retiredAt' | 'firstSignedAt' | 'lastSignedAt' | 'revisions'
>;
export type BrokenRevision = Selected<
  G.Revision,
  'chainIndex' | 'action' | 'entityType' | 'entityId' | 'actorLabel' | 'at'
> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};
export type Verification = Selected<
  G.HistoryVerification,
  'valid' | 'checked' | 'unsigned' | 'fromIndex' | 'since' | 'problem' | 'problemKind'
> & { brokenAt: BrokenRevision | null };

/** What a checkpoint file must hold: the schema's input type (the file is read against it). */
export const CHECKPOINT_INPUT = schema.getType('HistoryCheckpointInput') as GraphQLInputObjectType;

// In the order the server writes a checkpoint's file.
const CHECKPOINT = 'workspace chainIndex headHash at keyId signature';
const VERIFICATION = `valid checked unsigned fromIndex since problem problemKind
  brokenAt { chainIndex action entityType entityId actorLabel at before after }`;

/** The workspace's head, signed now, and the workspace's slug to name its file. */
export const currentCheckpoint = () =>
  gql<{ historyCheckpoint: Checkpoint; me: { workspaceSlug: string } }>(
    `{ historyCheckpoint { ${CHECKPOINT} } me { workspaceSlug } }`,
  ).then((d) => ({ checkpoint: d.historyCheckpoint, workspaceSlug: d.me.workspaceSlug }));

/** The whole chain, or only what follows a kept checkpoint (and that it still holds). */
export const verifyHistory = (checkpoint: G.HistoryCheckpointInput | null) =>
  gql<{ verifyHistory: Verification }>(
    `query($c: HistoryCheckpointInput) { verifyHistory(checkpoint: $c) { ${VERIFICATION} } }`,
    { c: checkpoint },
  ).then((d) => d.verifyHistory);

export const historyPublicKeys = () =>
  gql<{ historyPublicKeys: PublicKey[] }>(
    '{ historyPublicKeys { keyId publicKey current retiredAt firstSignedAt lastSignedAt revisions } }',
  ).then((d) => d.historyPublicKeys);
