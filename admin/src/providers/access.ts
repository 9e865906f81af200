/**
 * What the console offers, from the server's own policy: each page asks
 * whether the signed-in principal may use the operation that page calls
 * (`myPermissions.operations`), so the console hides exactly what the server
 * would refuse. Pure: the resource's type and its own verbs are passed in.
 */

/** The operation the auditor's page (admin/src/audit) calls: whoever may use it sees the page. */
export const AUDIT_OPERATION = 'verifyHistory';

/** The actions React-Admin asks about that only read. */
const READ_ACTIONS = ['list', 'show', 'export', 'read'];

/** Operations a resource calls instead of the generic ones, by action (e.g. invitations are created by inviteUser). */
export type OwnOperations = Partial<Record<'create' | 'edit' | 'delete', string>>;

/** The operation an action on a resource calls: its list query, or create/update/delete of its type. */
export function operationFor(resource: string, type: string, action: string, own: OwnOperations = {}): string | null {
  if (READ_ACTIONS.includes(action)) return resource;
  if (action === 'create' || action === 'edit' || action === 'delete') {
    const generic = { create: `create${type}`, edit: `update${type}`, delete: `delete${type}` }[action];
    return own[action] ?? generic;
  }
  return null;
}

export function mayAccess(
  operations: readonly string[],
  resource: string,
  type: string,
  action: string,
  own?: OwnOperations,
): boolean {
  const operation = operationFor(resource, type, action, own);
  return operation !== null && operations.includes(operation);
}

/** Where a principal lands after signing in: the first list they may open, else the page that says what they may do. */
export function landingPage(operations: readonly string[], resources: readonly string[]): string {
  const first = resources.find((r) => operations.includes(r));
  return first ? `/${first}` : '/welcome';
}
