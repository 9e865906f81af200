/**
 * The schema contract's gates (issue 17): graphql-schema-linter over the schema the code emits, with the
 * committed rule set, and the breaking-change check .ci/run makes against schema/released.graphql. Each is
 * shown failing on a planted violation.
 */
import fs from 'node:fs';
import { printedSchema } from '../../api/src/scripts/emit-schema';
import { lintSchema } from '../../api/src/scripts/schema-lint';
import { CURRENT_FILE, problemsOf, readAllowed, RELEASED_FILE, schemaDiff } from '../../api/src/scripts/schema-diff';

describe('graphql-schema-linter (every type, field, argument, input field and enum value described)', () => {
  it('finds nothing in the schema the code emits', async () => {
    expect(lintSchema(await printedSchema())).toEqual([]);
  }, 60_000);

  it('fails on a planted undescribed field, argument, enum value and type', () => {
    const sdl = [
      '"""The root of reads."""',
      'type Query {',
      '  """A described field."""',
      '  ok: Int',
      '  bare(first: Int): Int',
      '}',
      'enum Colour {',
      '  RED',
      '}',
      '',
    ].join('\n');
    expect(lintSchema(sdl).map((p) => p.replace(/^\d+:\d+ /, '').split(':')[0])).toEqual(
      expect.arrayContaining([
        'fields-have-descriptions',
        'arguments-have-descriptions',
        'enum-values-have-descriptions',
        'types-have-descriptions',
      ]),
    );
  });
});

describe('the breaking-change check (.ci/run: schema/released.graphql against schema.graphql)', () => {
  const released = fs.readFileSync(RELEASED_FILE, 'utf8');
  const current = fs.readFileSync(CURRENT_FILE, 'utf8');

  it('passes on the committed schema: every breaking change since the release is listed with a reason', async () => {
    expect(problemsOf(await schemaDiff(released, current, readAllowed()))).toEqual([]);
  });

  it('fails on a planted breaking change (a field removed) that the allow-list does not name', async () => {
    // An output field clients read: the workspace's slug, its description and its line.
    const start = current.indexOf('\ntype Workspace {');
    const slug = /\n\n {2}"""[^"]*"""\n {2}slug: String!/.exec(current.slice(start))!;
    const at = start + slug.index;
    const planted = current.slice(0, at) + current.slice(at + slug[0].length);
    const problems = problemsOf(await schemaDiff(released, planted, readAllowed()));
    expect(problems).toEqual([
      expect.stringMatching(/^BREAKING FIELD_REMOVED at Workspace\.slug: Field 'slug' was removed from object type/),
    ]);
  });

  it('accepts it once listed with a reason, and reports entries without a reason or matching nothing', async () => {
    const planted = `type Query {\n  a: Int\n}\n`;
    const before = `type Query {\n  a: Int\n  b: Int\n}\n`;
    const entry = { type: 'FIELD_REMOVED', path: 'Query.b', reason: 'Deprecated since 0.3, unused for two releases.' };
    expect(problemsOf(await schemaDiff(before, planted, [entry]))).toEqual([]);
    expect(problemsOf(await schemaDiff(before, planted, [{ ...entry, reason: '' }]))).toEqual([
      'schema/breaking-changes.json: FIELD_REMOVED at Query.b needs a reason',
    ]);
    expect(problemsOf(await schemaDiff(before, before, [entry]))).toEqual([
      'schema/breaking-changes.json: FIELD_REMOVED at Query.b matches no change; remove it',
    ]);
  });

  it('does not count a deprecation or an added optional argument as breaking', async () => {
    const before = `type Query {\n  a: Int\n}\n`;
    const after = `type Query {\n  a(limit: Int): Int @deprecated(reason: "Use b.")\n  b: Int\n}\n`;
    expect(problemsOf(await schemaDiff(before, after, []))).toEqual([]);
  });
});
