import { InputType } from 'type-graphql';
import { checkInput, In } from './inputs';
import { ProvenanceField, ProvenanceInput } from '../modules/shared/shared.types';

@InputType()
class Item {
  @In.text({ required: true, max: 5 }) label: string;
}

@InputType()
class Sample {
  @In.text({ required: true, max: 10 }) name: string;
  @In.int({ min: 1, max: 3 }) rank?: number;
  @In.textList({ maxItems: 2 }) tags?: string[];
  @In.enum(Object, ['A', 'B']) kind?: string;
  @In.id() ref?: string;
  @In.items(() => Item) items?: Item[];
}

describe('checkInput', () => {
  it('accepts a valid input', () => {
    expect(
      checkInput(Sample, { name: 'ok', rank: 2, tags: ['a'], kind: 'A', items: [{ label: 'x' }] }, 'create'),
    ).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const problems = checkInput(
      Sample,
      { rank: 2.5, tags: ['a', 'b', 'c'], kind: 'C', ref: 'x', items: [{ label: 'toolong' }, {}], extra: 1 },
      'create',
    );
    expect(problems).toEqual([
      { path: 'input.extra', message: 'unknown field; allowed: name, rank, tags, kind, ref, items' },
      { path: 'input.name', message: 'is required' },
      { path: 'input.rank', message: 'must be a whole number' },
      { path: 'input.tags', message: 'must have at most 2 items (got 3)' },
      { path: 'input.kind', message: 'must be one of A, B (got "C")' },
      { path: 'input.ref', message: 'must be an id (a UUID), got "x"' },
      { path: 'input.items[0].label', message: 'must be at most 5 characters (got 7)' },
      { path: 'input.items[1].label', message: 'is required' },
    ]);
  });

  it('lets an update leave required fields out, but not null them', () => {
    expect(checkInput(Sample, { rank: 1 }, 'update')).toEqual([]);
    expect(checkInput(Sample, { name: null }, 'update')).toEqual([{ path: 'input.name', message: 'is required' }]);
  });
});

@InputType()
class WithParts {
  @In.enumList(Object, ['A', 'B']) roles?: string[];
  @ProvenanceField.input() provenance?: ProvenanceInput | null;
}

describe('checkInput on an enum list and one structured item (provenance)', () => {
  it('accepts a source part, a derived part and a list of known values', () => {
    const ok = [
      { roles: ['A', 'B'], provenance: { document: 'Seed 004', section: 'Anti-ICP' } },
      { provenance: { derived: true, reasoning: 'The seed states no weights.' } },
      { provenance: null },
    ];
    for (const value of ok) expect(checkInput(WithParts, value, 'create')).toEqual([]);
  });

  it('says what a part lacks: reasoning when derived, document and section otherwise', () => {
    expect(checkInput(WithParts, { provenance: { derived: true, document: 'Seed 003' } }, 'create')).toEqual([
      {
        path: 'input.provenance.reasoning',
        message: 'is required when derived is true: say why this part was added or how it was read',
      },
    ]);
    expect(checkInput(WithParts, { provenance: { section: ' ' } }, 'create')).toEqual([
      {
        path: 'input.provenance.document',
        message: 'is required unless derived is true: name the source document this part comes from',
      },
      {
        path: 'input.provenance.section',
        message: 'is required unless derived is true: name the source section this part comes from',
      },
    ]);
  });

  it('reports a bad shape or value with its path', () => {
    expect(checkInput(WithParts, { roles: ['A', 'C'], provenance: 'seed' }, 'create')).toEqual([
      { path: 'input.roles', message: 'item 1 must be one of A, B (got "C")' },
      { path: 'input.provenance', message: 'must be an object' },
    ]);
    expect(checkInput(WithParts, { roles: 'A', provenance: { derived: 'yes', page: 3 } }, 'create')).toEqual([
      { path: 'input.roles', message: 'must be a list of A, B' },
      { path: 'input.provenance.page', message: 'unknown field; allowed: derived, document, section, reasoning' },
      { path: 'input.provenance.derived', message: 'must be true or false' },
    ]);
  });
});
