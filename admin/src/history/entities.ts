import { humanize, typeOf } from '../resources/fields';
import { RESOURCES } from '../resources/registry';

// Where a code name would mislead a reader: the rest read well in sentence case ("ScoringRule" → "Scoring rule").
const NAMES: Record<string, string> = {
  AppUser: 'User',
  Icp: 'ICP',
  IcpVersion: 'Published version',
  ApiKey: 'API key',
  AttributeDefinition: 'Attribute',
  UseCasePattern: 'Use-case pattern',
};

/** A record type as people call it, e.g. "IcpVersion" → "Published version". */
export const entityName = (type: string): string =>
  NAMES[type] ??
  humanize(type)
    .split(' ')
    .map((word, i) => (i === 0 || word === 'ICP' ? word : word.toLowerCase()))
    .join(' ');

/** The console's resource that lists a record type, e.g. "Persona" → "personas" (none for published versions). */
export function resourceOf(type: string): string | undefined {
  return RESOURCES.find((r) => typeOf(r.name) === type)?.name;
}

/** Where a revision's record is read in the console: its page, or for a published version its ICP's versions. */
export function recordRoute(r: { entityType: string; entityId: string; icpId?: string | null }): string | undefined {
  if (r.entityType === 'IcpVersion') return r.icpId ? `/icps/${r.icpId}/show/versions` : undefined;
  const resource = resourceOf(r.entityType);
  return resource ? `/${resource}/${r.entityId}/show` : undefined;
}
