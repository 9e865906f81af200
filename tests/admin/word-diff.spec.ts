import { wordDiff } from '../../admin/src/history/word-diff';

describe('wordDiff: long texts word by word', () => {
  const before = 'Mid-market organisations with mature IT teams leaving basic tools for professional ITSM.';
  it('marks only the words that changed when most of the text stayed', () => {
    const parts = wordDiff(before, before.replace('mature', 'growing'))!;
    expect(parts.filter((p) => p.removed).map((p) => p.value.trim())).toEqual(['mature']);
    expect(parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(['growing']);
    expect(parts.map((p) => (p.added ? '' : p.value)).join('')).toBe(before);
    expect(parts.map((p) => (p.removed ? '' : p.value)).join('')).toBe(before.replace('mature', 'growing'));
  });
  it('leaves short texts and rewrites to old → new', () => {
    expect(wordDiff('200 people', '300 people')).toBeNull();
    expect(wordDiff(before, 'Reworded entirely for the sales kick-off, nothing kept from the old text.')).toBeNull();
    expect(wordDiff('', before)).toBeNull();
  });
});
