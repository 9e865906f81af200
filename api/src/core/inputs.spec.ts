import { InputType } from 'type-graphql';
import { checkInput, In } from './inputs';

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
