/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules: the app must load after the fake part is registered, so it is required, not imported. */
import { getMetadataStorage } from 'type-graphql';
import { EntityRegistry } from '../../core/entity-registry';
import type { RequestContext } from '../../core/context';

/**
 * Adding a part of an ICP is one entry in icp-parts.ts plus its module: a
 * fake part, added to the registry before anything reads it, shows up in
 * every list of parts the server keeps.
 */
type Mods = {
  reg: typeof import('./icp-parts');
  snapshot: typeof import('../../versioning/snapshot');
  icpService: typeof import('./icp.service');
  resolver: typeof import('./icp.resolver');
  file: typeof import('../icp-file/icp-file');
  format: typeof import('../icp-file/icp-file.format');
  importer: typeof import('../icp-file/icp-import.service');
  schema: typeof import('../icp-file/icp-file.schema');
  policy: typeof import('../../auth/policy');
  history: typeof import('../../versioning/history.service');
};
let m: Mods;
let registry: EntityRegistry;

beforeAll(() => {
  jest.isolateModules(() => {
    const { In } = require('../../core/inputs') as typeof import('../../core/inputs');
    class Widget {
      id: string;
      revision: number;
      icpId: string;
    }
    class WidgetInput {
      @In.id({ required: true }) icpId: string;
      @In.int({ min: 0 }) position?: number;
      @In.text({ required: true, max: 200 }) name: string;
      @In.text() colour?: string | null;
    }
    const reg = require('./icp-parts') as Mods['reg'];
    (reg.ICP_PARTS as unknown as import('./icp-parts').IcpPart[]).push({
      entity: Widget,
      input: WidgetInput,
      key: 'widgets',
      section: 'widgets',
    });
    // Everything else loads after the entry: the registry is read as the app reads it.
    const { CrudService } = require('../../core/crud.service') as typeof import('../../core/crud.service');
    const { REGISTRY } = require('../../modules') as typeof import('../../modules');
    // Its module: a service, as every part has, in the registry modules.ts builds.
    const widgets = new CrudService({
      entity: Widget,
      label: 'widget',
      input: WidgetInput,
      searchable: [],
      sortable: [],
      defaultSort: {},
    });
    registry = new EntityRegistry([...REGISTRY.services(), widgets]);
    m = {
      reg,
      snapshot: require('../../versioning/snapshot'),
      icpService: require('./icp.service'),
      resolver: require('./icp.resolver'),
      file: require('../icp-file/icp-file'),
      format: require('../icp-file/icp-file.format'),
      importer: require('../icp-file/icp-import.service'),
      schema: require('../icp-file/icp-file.schema'),
      policy: require('../../auth/policy'),
      history: require('../../versioning/history.service'),
    };
  });
});

const FILE = { slug: 'w', name: 'W', widgets: [{ name: 'Blue one', colour: 'blue' }, { name: 'Plain' }] };

describe('a part added to the registry of ICP parts', () => {
  it('is in a snapshot and its diff', () => {
    const empty = Object.fromEntries(m.reg.ICP_PARTS.map((p) => [p.key, []]));
    const from = { icp: { id: 'i' }, attributes: [], ...empty } as never;
    const to = { ...(from as object), widgets: [{ id: 'w1', name: 'Blue one' }] } as never;
    expect(m.reg.ICP_PARTS.map((p) => p.key)).toContain('widgets');
    expect(m.snapshot.changeList(from, to)).toEqual([
      expect.objectContaining({ entityType: 'Widget', recordId: 'w1', action: 'ADDED' }),
    ]);
  });

  it('is deleted with its ICP, each row with its revision, before the parts it could point at', () => {
    const dependents = m.icpService.icpService.cfg.dependents!({ registry } as unknown as RequestContext);
    expect(dependents[0]).toMatchObject({ field: 'icpId', onDelete: 'delete' });
    expect(dependents.map((d) => d.service.entity.name)).toEqual([...m.reg.partTypes()].reverse());
    expect(dependents[0].service.label).toBe('widget');
  });

  it('is a field of the ICP in the GraphQL schema', () => {
    expect(m.resolver.IcpPartResolvers).toHaveLength(m.reg.ICP_PARTS.length);
    const fields = getMetadataStorage().fieldResolvers.filter((f) => f.target === m.resolver.IcpPartResolvers.at(-1));
    expect(fields.map((f) => f.schemaName)).toEqual(['widgets']);
  });

  it('is a section of the ICP file: checked, canonical, exported from a snapshot, in the JSON Schema', () => {
    expect(m.file.fileSections().at(-1)).toBe('widgets');
    expect(m.file.checkIcpFile({ ...FILE, widgets: 'many' })).toEqual([{ path: 'widgets', message: 'must be a list' }]);
    expect(
      m.file.checkIcpFile({ ...FILE, widgets: [{ colour: 'red' }, { name: 'Plain' }, { name: 'Plain' }] }),
    ).toEqual([
      expect.objectContaining({ path: 'widgets[0].name' }),
      { path: 'widgets[2].name', message: '"Plain" is already used by widgets[1]' },
    ]);
    expect(m.file.checkIcpFile(FILE)).toEqual([]);

    const canonical = m.format.canonicalFile({
      ...FILE,
      widgets: [{ colour: 'blue', name: 'Blue one' }, { name: 'Plain' }],
    });
    expect(canonical.widgets).toEqual(FILE.widgets);
    expect(m.format.toYaml(canonical)).toContain('\n\nwidgets:\n  - name: Blue one\n    colour: blue\n');

    const empty = Object.fromEntries(m.reg.ICP_PARTS.map((p) => [p.key, []]));
    const stored = { id: 'w1', revision: 3, icpId: 'i', position: 0, name: 'Blue one', colour: 'blue' };
    const { file, ids } = m.format.fileFromSnapshot({
      icp: { id: 'i', revision: 1, slug: 'w', name: 'W' },
      attributes: [],
      ...empty,
      widgets: [stored],
    } as never);
    expect(file.widgets).toEqual([{ name: 'Blue one', colour: 'blue' }]);
    expect(ids.get(m.format.recordKey('Widget', 'Blue one'))).toEqual({ id: 'w1', revision: 3 });

    const properties = m.schema.icpJsonSchema().properties as Record<string, { items: { properties: object } }>;
    expect(Object.keys(properties.widgets.items.properties)).toEqual(['name', 'colour']);
  });

  it('is imported: its records are compared, placed by position and written after the other parts', () => {
    const changes = m.importer.diffFiles(m.format.canonicalFile(FILE), null);
    expect(changes.filter((c) => c.entity === 'Widget')).toEqual([
      expect.objectContaining({ name: 'Blue one', path: 'widgets[0]', action: 'CREATE' }),
      expect.objectContaining({ name: 'Plain', path: 'widgets[1]', action: 'CREATE' }),
    ]);
    expect(changes.find((c) => c.name === 'Plain')!.fields).toContainEqual({
      field: 'position',
      before: null,
      after: 1,
    });
    const tier = { entity: 'Tier', name: 'T', parent: null, path: 'tiers[0]', action: 'CREATE' as const, fields: [] };
    const gone = { ...changes[1], action: 'DELETE' as const };
    expect(m.importer.writeOrder([changes[1], tier, gone]).map((c) => `${c.action} ${c.entity}`)).toEqual([
      'DELETE Widget', // nothing points at it: deleted first
      'CREATE Tier',
      'CREATE Widget',
    ]);
  });

  it("is a draft type of the policy, and one of the history's entity types", () => {
    expect(m.policy.ENTITY_ACCESS.Widget).toEqual(m.policy.ENTITY_ACCESS.Tier);
    expect(m.policy.POLICY.createWidget).toEqual(m.policy.POLICY.createTier);
    const types = m.history.historyEntityTypes(registry);
    expect(types.slice(0, m.reg.ICP_PARTS.length + 2)).toEqual(['Icp', 'IcpVersion', ...m.reg.partTypes()]);
    expect(types.indexOf('Widget')).toBe(types.indexOf('ExampleAccount') + 1);
  });
});
