import type { Role } from './roles';

/** Who sends a request, as authentication found it. */
export interface Principal {
  kind: 'user' | 'apiKey';
  /** The user's or the key's id. */
  id: string;
  /** An email, or "key:<name>". */
  label: string;
  workspaceId: string;
  workspaceSlug: string;
  role: Role;
}
