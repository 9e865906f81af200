import { type ChangeObject, diffWords } from 'diff';

/**
 * Two versions of a long text word by word (jsdiff), when most of it stayed:
 * then the few words removed and added are what a reader needs to see. Null
 * for short texts and rewrites, which read better as old → new.
 */
export function wordDiff(before: string, after: string): ChangeObject<string>[] | null {
  if (!before || !after || before.length + after.length <= 60) return null;
  const parts = diffWords(before, after);
  const kept = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.value.length, 0);
  return kept > Math.max(before.length, after.length) / 2 ? parts : null;
}
