import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { DEMO_DIR, DEMO_ICP_FILES } from '../../demo/load-demo';
import { PROJECT_ROOT } from '../../paths';
import { checkIcpFile } from './icp-file';
import { canonicalFile, toYaml } from './icp-file.format';
import { ICP_SCHEMA_FILE, printedIcpSchema } from './icp-file.schema';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(fs.readFileSync(ICP_SCHEMA_FILE, 'utf8')));
const ERROR_FILE = path.join(PROJECT_ROOT, 'tests/fixtures/five-errors.icp.yaml');

/** Ajv's errors as the server's paths: `/tiers/1` + missing `name` → `tiers[1].name`. */
function ajvPaths(): string[] {
  const paths = (validate.errors ?? []).map((e) => {
    const base = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
      .join('')
      .replace(/^\./, '');
    const leaf =
      (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ??
      (e.params as { additionalProperty?: string }).additionalProperty;
    return leaf ? (base ? `${base}.${leaf}` : leaf) : base;
  });
  return [...new Set(paths)].sort();
}

describe('the ICP file JSON Schema (schema/icp.schema.json)', () => {
  it('is current: npm run schema writes it from the input rules', () => {
    expect(fs.readFileSync(ICP_SCHEMA_FILE, 'utf8')).toBe(printedIcpSchema());
  });

  it.each(DEMO_ICP_FILES)('validates the demo file %s, which points editors at it', (file) => {
    const text = fs.readFileSync(path.join(DEMO_DIR, file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../schema/icp.schema.json');
    const ok = validate(YAML.parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("agrees with the server's own checks of a file's shape", () => {
    const doc = YAML.parse(fs.readFileSync(ERROR_FILE, 'utf8'));
    expect(validate(doc)).toBe(false);
    const server = checkIcpFile(doc)
      .map((p) => p.path)
      .sort();
    expect(server).toEqual(['personas[0].favouriteColour', 'tiers[1].name']);
    expect(ajvPaths()).toEqual(server);
  });

  it('refuses what the server refuses: wrong types, bad enums, a bad slug', () => {
    const bad = {
      slug: 'Not A Slug',
      name: 'x',
      status: 'LIVE',
      tiers: [{ rank: 0, name: 'A' }],
      scoring: { bands: [{ name: 'B', minScore: 'high', action: 'go' }] },
    };
    expect(validate(bad)).toBe(false);
    const server = checkIcpFile(bad)
      .map((p) => p.path)
      .sort();
    expect(ajvPaths()).toEqual(server);
  });
});

describe('the canonical form', () => {
  it.each(DEMO_ICP_FILES)('%s: is stable (canonical of canonical is itself)', (file) => {
    const once = toYaml(canonicalFile(YAML.parse(fs.readFileSync(path.join(DEMO_DIR, file), 'utf8'))));
    expect(toYaml(canonicalFile(YAML.parse(once)))).toBe(once);
  });

  it('orders keys as the format does, whatever the order in the file, and leaves out what is empty', () => {
    const text = toYaml(
      canonicalFile({ tiers: [{ name: 'A', rank: 1, examples: [] }], name: 'N', slug: 's', notes: [] }),
    );
    expect(text).toBe('slug: s\nname: N\nstatus: DRAFT\n\ntiers:\n  - rank: 1\n    name: A\n    kind: TIER\n');
  });
});
