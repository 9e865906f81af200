import { unifiedDiff } from './text-diff';

describe('unified diff', () => {
  it('prints changed lines with three lines of context, deletions first', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const b = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h'].join('\n');
    expect(unifiedDiff(a, b, 'x', 'y')).toBe(
      ['--- x', '+++ y', '@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ''].join('\n'),
    );
  });

  it('is empty for equal texts, and diffs against nothing', () => {
    expect(unifiedDiff('a\n', 'a\n', 'x', 'y')).toBe('');
    expect(unifiedDiff('', 'a\nb', 'x', 'y')).toBe(['--- x', '+++ y', '@@ -0,0 +1,2 @@', '+a', '+b', ''].join('\n'));
  });
});
