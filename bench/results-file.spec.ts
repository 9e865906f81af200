import { withSection } from './results-file';

const FILE = `# Benchmark results

<!-- bench:scoring -->
## Scoring
old figures
<!-- /bench:scoring -->

## A note written by hand between sections

It stays.

<!-- bench:engine -->
## Engine
old
<!-- /bench:engine -->
`;

describe('bench/RESULTS.md: one section rewritten at a time', () => {
  it('replaces only the named section; hand-written notes and the other sections stay', () => {
    const out = withSection(FILE, 'scoring', '## Scoring\nnew figures\n');
    expect(out).toBe(FILE.replace('old figures', 'new figures'));
  });

  it('adds a section it has not seen at the end', () => {
    const out = withSection(FILE, 'limits', '## Limits\n$1 and $& stay literal\n');
    expect(out).toBe(`${FILE}\n<!-- bench:limits -->\n## Limits\n$1 and $& stay literal\n<!-- /bench:limits -->\n`);
    expect(withSection(out, 'limits', '## Limits\nagain\n')).toContain('## Limits\nagain\n<!-- /bench:limits -->');
  });
});
