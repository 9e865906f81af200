import { Ctx, Field, FieldResolver, getMetadataStorage, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { db, type RequestContext } from '../core/context';
import { NotFoundError } from '../core/errors';
import { AttributeType } from '../modules/attribute/attribute.entity';
import { Icp } from '../modules/icp/icp.entity';
import { ICP_PARTS, type IcpPart, type PartKey, partOf, partsUnder } from '../modules/icp/icp-parts';
import { IcpVersion } from './icp-version.entity';
import { currentShape, type IcpSnapshot, snapshotIcp } from './snapshot';

/**
 * The records of a published version as their own GraphQL types
 * (`PublishedTier`, `PublishedPersona`, … one per ICP part, and
 * `PublishedIcp`), derived from the entities' fields so they never drift
 * from the draft types. A published record's `id` is
 * `<icpId>:<version>:<partId>`: unique to that version, so a client cache
 * (Apollo's `__typename:id`) never mixes it with the draft record
 * (`Persona:<partId>`) or with the same record in another version. `partId`
 * is the record's own id, the same in the draft and every version. Version 0
 * is the draft as `checkIcp` and `simulateIcp` score it.
 */
type Row = Record<string, unknown>;

/** One version of one ICP (0: the draft being checked); its snapshot once known. */
export interface VersionScope {
  icpId: string;
  version: number;
  snapshot?: IcpSnapshot;
}

const SCOPE = Symbol('published in');
/** A record as published: its stored fields, plus `id`, `partId` and `icpVersion`. */
export type PublishedRecord = Row & { id: string; partId: string; icpVersion: number; [SCOPE]: VersionScope };

export const publishedId = (icpId: string, version: number, partId: string) => `${icpId}:${version}:${partId}`;

/** The GraphQL class of each published type, by entity name ("Persona" → PublishedPersona). */
const TYPES = new Map<string, Function>();
/** The fields holding dates, by entity name: a snapshot stores them as text. */
const DATES = new Map<string, string[]>();

export function publishedType(entityName: string): Function {
  const type = TYPES.get(entityName);
  if (!type) throw new Error(`no published type for "${entityName}"`);
  return type;
}

// Each snapshot row becomes one published object, made once (scores share their model's rows).
const made = new WeakMap<object, PublishedRecord>();

/** A snapshot row as its published type's object, within a version. */
export function published(entityName: string, row: Row, scope: VersionScope): PublishedRecord {
  let out = made.get(row);
  if (out) return out;
  const shaped: Row = { ...currentShape(entityName, row) };
  for (const field of DATES.get(entityName) ?? [])
    if (typeof shaped[field] === 'string') shaped[field] = new Date(shaped[field]);
  const partId = String(row.id);
  out = Object.assign(shaped, {
    id: publishedId(scope.icpId, scope.version, partId),
    partId,
    icpVersion: scope.version,
    [SCOPE]: scope,
  });
  made.set(row, out);
  return out;
}

export const publishedList = (entityName: string, rows: readonly Row[], scope: VersionScope): PublishedRecord[] =>
  rows.map((r) => published(entityName, r, scope));

// A request reads each version's snapshot once, whatever number of records ask for it.
const perRequest = new WeakMap<RequestContext, Map<string, Promise<IcpSnapshot>>>();

/** The whole snapshot a published record belongs to (a score carries only the records it returns). */
export function scopeSnapshot(ctx: RequestContext, scope: VersionScope): Promise<IcpSnapshot> {
  if (scope.snapshot) return Promise.resolve(scope.snapshot);
  let byKey = perRequest.get(ctx);
  if (!byKey) perRequest.set(ctx, (byKey = new Map()));
  const key = `${scope.icpId}:${scope.version}`;
  let found = byKey.get(key);
  if (!found) byKey.set(key, (found = loadSnapshot(ctx, scope)));
  return found;
}

async function loadSnapshot(ctx: RequestContext, { icpId, version }: VersionScope): Promise<IcpSnapshot> {
  if (version === 0) {
    const icp = await db(ctx).findOneBy(Icp, { id: icpId });
    if (!icp) throw new NotFoundError('ICP', icpId, 'icp');
    return snapshotIcp(ctx, icp);
  }
  const row = await db(ctx).findOneBy(IcpVersion, { icpId, version, workspaceId: ctx.workspaceId });
  if (!row) throw new NotFoundError('published version', `${icpId}:${version}`, 'version');
  return JSON.parse(row.snapshot) as IcpSnapshot;
}

/** A part's rows as stored in a snapshot (none in a version published before the part existed). */
const rowsOf = (snapshot: IcpSnapshot, part: IcpPart): Row[] => snapshot[part.key as PartKey] ?? [];

/** The published records of one part in a version, in the snapshot's order. */
export const partOfVersion = (part: IcpPart, scope: VersionScope & { snapshot: IcpSnapshot }): PublishedRecord[] =>
  publishedList(part.entity.name, rowsOf(scope.snapshot, part), scope);

/** The ICP's own record in a version. */
export const icpOfVersion = (scope: VersionScope & { snapshot: IcpSnapshot }): PublishedRecord =>
  published('Icp', scope.snapshot.icp, scope);

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

/**
 * Declares `Published<Entity>`: every field the entity declares (its own and
 * its base classes'), `id` as the published id, `partId`, `icpVersion`, and
 * the field resolvers of `resolvers` (links within the version, the draft
 * record). Returns the resolver class to register.
 */
function declarePublished(
  entity: Function,
  description: string,
  links: { name: string; field: string; type: string }[],
  children: IcpPart[],
): Function {
  const name = `Published${entity.name}`;
  const type = { [name]: class {} }[name];
  const storage = getMetadataStorage();
  const fields = storage.fields.filter(
    (f) => f.target === entity || Object.prototype.isPrototypeOf.call(f.target, entity),
  );
  for (const f of fields) if (f.name !== 'id') storage.collectClassFieldMetadata({ ...f, target: type });
  DATES.set(
    entity.name,
    fields.filter((f) => f.getType() === Date).map((f) => f.name),
  );
  const proto = type.prototype;
  Field(() => ID, {
    description: `This record as published in this version: "<icpId>:<version>:<partId>", unique to the version (version 0: the draft being checked), so a client cache never mixes it with the draft ${entity.name} or with another version's.`,
  })(proto, 'id');
  Field(() => ID, {
    description: `The ${entity.name}'s own id: the same in the draft and in every version.`,
  })(proto, 'partId');
  Field(() => Int, { description: 'The published version this record belongs to (0: the draft being checked).' })(
    proto,
    'icpVersion',
  );
  ObjectType(name, { description, simpleResolvers: true })(type);
  TYPES.set(entity.name, type);

  class PublishedFields {}
  Object.defineProperty(PublishedFields, 'name', { value: `${name}Resolver` });
  const methods = PublishedFields.prototype as Record<string, unknown>;
  const declare = (field: string, fn: (r: PublishedRecord, ctx: RequestContext) => unknown, field_: () => void) => {
    methods[field] = fn;
    Root()(methods, field, 0);
    Ctx()(methods, field, 1);
    field_();
  };
  const descriptor = (field: string) => Object.getOwnPropertyDescriptor(methods, field)!;
  for (const link of links) {
    declare(
      link.name,
      async (r, ctx) => {
        const id = r[link.field];
        if (!id) return null;
        const snapshot = await scopeSnapshot(ctx, r[SCOPE]);
        const target = rowsOf(snapshot, partOf(link.type)).find((t) => t.id === id);
        return target ? published(link.type, target, { ...r[SCOPE], snapshot }) : null;
      },
      () =>
        FieldResolver(() => publishedType(link.type), {
          nullable: true,
          description: `The ${link.type} it points at (${link.field}), as published in the same version; null when none.`,
        })(methods, link.name, descriptor(link.name)),
    );
  }
  for (const child of children) {
    const parent = child.parent!;
    declare(
      child.section,
      async (r, ctx) => {
        const snapshot = await scopeSnapshot(ctx, r[SCOPE]);
        const rows = rowsOf(snapshot, child).filter((c) => c[parent.field] === r.partId);
        return publishedList(child.entity.name, rows, { ...r[SCOPE], snapshot });
      },
      () =>
        FieldResolver(() => [publishedType(child.entity.name)], {
          description: `Its ${lowerFirst(child.entity.name)}s in the same version, in order.`,
        })(methods, child.section, descriptor(child.section)),
    );
  }
  declare(
    'draft',
    (r, ctx) => ctx.loaders.byId(entity as new () => { id: string }).load(r.partId),
    () =>
      FieldResolver(() => entity, {
        nullable: true,
        description: `The ${entity.name} as it is in the draft today; null when deleted since. Needs read access to drafts: refused field by field otherwise (FORBIDDEN).`,
      })(methods, 'draft', descriptor('draft')),
  );
  Resolver(() => type)(PublishedFields);
  return PublishedFields;
}

/** The resolvers of every published type: the ICP's own record, then each part. */
export const PUBLISHED_RESOLVERS: Function[] = [
  declarePublished(Icp, 'The ICP record as published in a version.', [], []),
  ...ICP_PARTS.map((part) =>
    declarePublished(
      part.entity,
      `A ${part.entity.name} as published in a version of its ICP: immutable, and never the draft record.`,
      [...(part.links ?? [])],
      partsUnder(part.entity.name),
    ),
  ),
];

@ObjectType({
  description: 'An attribute of the catalogue as a version froze it: what its expressions were checked against.',
  simpleResolvers: true,
})
export class PublishedAttribute {
  @Field({ description: 'The name used in expressions: account.<name>.' }) name: string;
  @Field(() => AttributeType, { description: 'The type of its values.' }) type: AttributeType;
  @Field(() => [String], { description: 'When not empty, the only values allowed (for lists: for each item).' })
  allowedValues: string[];
}

/** A version's scope, its snapshot parsed once per version row read. */
const scopes = new WeakMap<IcpVersion, VersionScope & { snapshot: IcpSnapshot }>();
export function versionScope(v: IcpVersion): VersionScope & { snapshot: IcpSnapshot } {
  let scope = scopes.get(v);
  if (!scope)
    scopes.set(v, (scope = { icpId: v.icpId, version: v.version, snapshot: JSON.parse(v.snapshot) as IcpSnapshot }));
  return scope;
}

/** The typed fields of IcpVersion: the ICP record, its frozen catalogue and one list per part. */
function versionPartsResolver(): Function {
  class IcpVersionParts {}
  const methods = IcpVersionParts.prototype as Record<string, unknown>;
  const declare = (field: string, fn: (v: IcpVersion) => unknown, returns: () => unknown, description: string) => {
    methods[field] = fn;
    Root()(methods, field, 0);
    FieldResolver(returns as never, { description })(methods, field, Object.getOwnPropertyDescriptor(methods, field)!);
  };
  declare(
    'icp',
    (v) => icpOfVersion(versionScope(v)),
    () => publishedType('Icp'),
    'The ICP record as published.',
  );
  declare(
    'attributes',
    (v) => (versionScope(v).snapshot.attributes ?? []).map((a) => ({ allowedValues: [], ...a })),
    () => [PublishedAttribute],
    'The attribute catalogue the version froze, by name: its scores read these attributes only.',
  );
  for (const part of ICP_PARTS) {
    const field = part.field ?? part.key;
    declare(
      field,
      (v) => partOfVersion(part, versionScope(v)),
      () => [publishedType(part.entity.name)],
      `${part.description ?? `The ${lowerFirst(part.entity.name)}s, in order.`} As published in this version${part.parent ? `; also under each ${part.parent.type}'s ${part.section}` : ''}.`,
    );
  }
  Resolver(() => IcpVersion)(IcpVersionParts);
  return IcpVersionParts;
}

export const VersionPartsResolver = versionPartsResolver();
