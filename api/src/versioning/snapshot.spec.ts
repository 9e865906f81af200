import 'reflect-metadata';
import { fileFromSnapshot } from '../modules/icp-file/icp-file.format';
import { applyPatch, deepClone } from 'fast-json-patch';
import { changeList, currentShape, type IcpSnapshot, snapshotPatch } from './snapshot';

/**
 * Versions published before personas held several roles, before provenance, persona conditions and ICP
 * competitors: their snapshots must read as today's records, not as records that lost their role or changed.
 */
const persona = { id: 'p1', icpId: 'i1', tierId: null, position: 0, name: 'CFO', jobTitles: [], revision: 1 };
const legacy = {
  icp: { id: 'i1', slug: 'old', name: 'Old', status: 'PUBLISHED', revision: 3 },
  attributes: [],
  tiers: [{ id: 't1', icpId: 'i1', rank: 1, name: 'T1', kind: 'TIER', criteria: null, revision: 1 }],
  personas: [{ ...persona, buyingRole: 'ECONOMIC_BUYER' }],
} as unknown as IcpSnapshot;
const today = {
  icp: { ...legacy.icp, provenance: null, competitors: [] },
  attributes: [],
  tiers: [{ ...(legacy as any).tiers[0], provenance: null }],
  personas: [{ ...persona, buyingRoles: ['ECONOMIC_BUYER'], provenance: null, appliesWhen: null }],
} as unknown as IcpSnapshot;

describe('snapshots of older versions', () => {
  it("keep a persona's single role as its list of roles", () => {
    expect(currentShape('Persona', { ...persona, buyingRole: 'CHAMPION' })).toMatchObject({
      buyingRoles: ['CHAMPION'],
    });
    expect(currentShape('Persona', { ...persona, buyingRole: 'CHAMPION' })).not.toHaveProperty('buyingRole');
    const { file } = fileFromSnapshot(legacy);
    expect((file.personas as any[])[0].buyingRoles).toEqual(['ECONOMIC_BUYER']);
  });

  it('differ from the same records today in nothing but the one field changed', () => {
    expect(changeList(legacy, today)).toEqual([]);
    expect(changeList(legacy, { ...today, personas: [{ ...(today as any).personas[0], name: 'CEO' }] } as any)).toEqual(
      [expect.objectContaining({ recordId: 'p1', fields: [{ field: 'name', before: 'CFO', after: 'CEO' }] })],
    );
  });

  it('leave records that are not ICP parts as they were', () => {
    expect(currentShape('AttributeDefinition', { id: 'a', name: 'x' })).toEqual({ id: 'a', name: 'x' });
  });
});

describe('changeList: what changed, record by record, as people read it', () => {
  it('finds nothing between an old version and the same records today', () => {
    expect(changeList(legacy, today)).toEqual([]);
  });

  it('names each record and gives each changed field its old and new value', () => {
    const next = {
      ...today,
      icp: { ...today.icp, revision: 9, updatedAt: 'later' },
      tiers: [
        { ...(today as any).tiers[0], criteria: 'account.employees > 10', revision: 2 },
        { id: 't2', icpId: 'i1', rank: 2, name: 'T2', kind: 'TIER', criteria: null, provenance: null, revision: 1 },
      ],
      personas: [],
      attributes: [{ id: 'a1', name: 'employees', type: 'INT' }],
    } as unknown as IcpSnapshot;
    expect(changeList(today, next)).toEqual([
      {
        entityType: 'Attribute',
        recordId: 'employees',
        name: 'employees',
        action: 'ADDED',
        fields: [
          { field: 'name', before: null, after: 'employees' },
          { field: 'type', before: null, after: 'INT' },
        ],
      },
      {
        entityType: 'Tier',
        recordId: 't1',
        name: 'T1',
        action: 'CHANGED',
        fields: [{ field: 'criteria', before: null, after: 'account.employees > 10' }],
      },
      expect.objectContaining({ entityType: 'Tier', recordId: 't2', name: 'T2', action: 'ADDED' }),
      expect.objectContaining({ entityType: 'Persona', recordId: 'p1', name: 'CFO', action: 'REMOVED' }),
    ]);
  });

  it('counts every record of a never-published ICP as added', () => {
    const changes = changeList(null, today);
    expect(changes.map((c) => [c.entityType, c.action])).toEqual([
      ['Icp', 'ADDED'],
      ['Tier', 'ADDED'],
      ['Persona', 'ADDED'],
    ]);
  });
});

describe('snapshotPatch: an RFC 6902 patch that applies to the snapshot as published', () => {
  const t = (id: string, rank: number) => ({ id, icpId: 'i1', rank, name: id.toUpperCase(), revision: 1 });
  const base = { ...today, tiers: [t('t1', 1), t('t2', 2), t('t3', 3)] } as unknown as IcpSnapshot;
  const applied = (from: IcpSnapshot, to: IcpSnapshot) =>
    applyPatch(deepClone(from), snapshotPatch(from, to), true, false).newDocument;

  it.each([
    ['a field changed', { ...base, tiers: [t('t1', 1), { ...t('t2', 2), name: 'Renamed' }, t('t3', 3)] }],
    ['the first record removed', { ...base, tiers: [t('t2', 1), t('t3', 2)] }],
    ['the records reordered', { ...base, tiers: [t('t3', 1), t('t1', 2), t('t2', 3)] }],
    ['a record added in the middle, another removed', { ...base, tiers: [t('t1', 1), t('t9', 2), t('t3', 3)] }],
    ['a whole list emptied', { ...base, personas: [] }],
  ])('%s', (_, to) => {
    const patch = snapshotPatch(base, to);
    expect(patch.length).toBeGreaterThan(0);
    // Paths index lists, never name records by id.
    for (const op of patch) expect(op.path).not.toMatch(/\/t\d/);
    expect(applied(base, to as unknown as IcpSnapshot)).toEqual(to);
  });

  it('is empty between equal snapshots, and turns Dates into the text a stored snapshot holds', () => {
    expect(snapshotPatch(base, deepClone(base))).toEqual([]);
    const at = new Date('2025-01-02T03:04:05.000Z');
    const draft = { ...base, icp: { ...base.icp, updatedAt: at } } as unknown as IcpSnapshot;
    expect(snapshotPatch(base, draft)).toEqual([{ op: 'add', path: '/icp/updatedAt', value: at.toISOString() }]);
  });
});
