import { createHash } from 'node:crypto';

type Row = Record<string, any>;

/**
 * A snapshot of an ICP file (the YAML format), with ids derived from names,
 * shaped as a published version's snapshot. For unit tests and the benchmark,
 * which score the demo ICPs without a database.
 */
export function snapshotFromFile(file: Row, attributes: Row[]): Row {
  const id = (...parts: string[]) => {
    const h = createHash('sha1').update(parts.join('/')).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const icpId = id(file.slug);
  const at = '2026-01-01T00:00:00.000Z';
  const base = (kind: string, name: string, position: number) => ({
    id: id(file.slug, kind, name),
    icpId,
    position,
    createdAt: at,
    updatedAt: at,
    revision: 1,
  });
  const tiers = (file.tiers ?? []).map((t: Row) => ({ ...base('tier', t.name, 0), criteria: null, ...t }));
  const tierId = new Map(tiers.map((t: Row) => [t.name, t.id]));
  const dims = file.scoring?.dimensions ?? [];
  return {
    icp: { id: icpId, slug: file.slug, name: file.name },
    attributes: attributes.map((a) => ({ name: a.name, type: a.type, allowedValues: a.allowedValues ?? [] })),
    tiers,
    personas: (file.personas ?? []).map(({ tier, ...p }: Row, i: number) => ({
      ...base('persona', p.name, i),
      tierId: tier ? tierId.get(tier) : null,
      ...p,
    })),
    useCasePatterns: (file.useCasePatterns ?? []).map((p: Row, i: number) => ({
      ...base('pattern', p.name, i),
      kind: 'INDUSTRY',
      industries: [],
      ...p,
    })),
    disqualifiers: (file.disqualifiers ?? []).map((d: Row, i: number) => ({
      ...base('disqualifier', d.name, i),
      expression: null,
      reason: null,
      ...d,
    })),
    triggerEvents: (file.triggerEvents ?? []).map((d: Row, i: number) => ({
      ...base('trigger', d.name, i),
      expression: null,
      reason: null,
      ...d,
    })),
    scoringDimensions: dims.map(({ rules: _r, ...d }: Row, i: number) => ({ ...base('dimension', d.name, i), ...d })),
    scoringRules: dims.flatMap((d: Row) =>
      (d.rules ?? []).map((r: Row, i: number) => ({
        ...base('rule', `${d.name}/${r.name}`, i),
        dimensionId: id(file.slug, 'dimension', d.name),
        condition: 'true',
        ...r,
      })),
    ),
    actionBands: (file.scoring?.bands ?? []).map((b: Row) => ({ ...base('band', b.name, 0), ...b })),
  };
}
