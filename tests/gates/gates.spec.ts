/**
 * The CI gates (.ci/run: lint, format:check, typecheck, deps) catch what they are there for: each test plants
 * one violation and runs the gate's own tool, with the project's own configuration, through its Node API.
 * Planted files live in memory or in a temporary directory, except the two empty placeholders lint needs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
// Unique names, so they never clash with a real file.
const PLANTED = `__gate_planted_${process.pid}__`;

describe('npm run typecheck', () => {
  const diagnosticsOf = (source: string): string[] => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    const file = path.join(ROOT, 'api/src', `${PLANTED}.ts`);
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? source : readFile(name));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], { ...config.options, noEmit: true, types: [] }, host);
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  };

  it('fails on a type error, and in strict mode on an implicit any and a possible null', () => {
    expect(diagnosticsOf('export const n: number = "one";\n')).toEqual([
      expect.stringContaining("TS2322: Type 'string' is not assignable to type 'number'"),
    ]);
    expect(diagnosticsOf('export function id(x) {\n  return x;\n}\n')).toEqual([expect.stringContaining('TS7006')]);
    expect(diagnosticsOf('export const s: string = [null][0];\n')).toEqual([expect.stringContaining('TS2322')]);
  });

  it('passes the same file once it is right (the check above is the planted error, not the set-up)', () => {
    expect(diagnosticsOf('export const n: number = 1;\n')).toEqual([]);
  });
});

describe('npm run lint', () => {
  // The project service lints only files on disk that a tsconfig includes: placeholders (the code is given below),
  // written before the first lint and removed after; .gitignore keeps a left-over one out of commits.
  const files = [`api/src/${PLANTED}.ts`, `admin/src/${PLANTED}.tsx`].map((f) => path.join(ROOT, f));
  beforeAll(() => files.forEach((f) => fs.writeFileSync(f, 'export {};\n')));
  afterAll(() => files.forEach((f) => fs.rmSync(f, { force: true })));
  const eslint = new ESLint({ cwd: ROOT });
  const problemsOf = async (file: string, code: string) =>
    (await eslint.lintText(code, { filePath: path.join(ROOT, file) })).flatMap((r) =>
      r.messages.map((m) => `${m.ruleId ?? m.message}:${m.line}`),
    );

  it('fails on a floating promise, with the types of the project (type-aware)', async () => {
    const code = 'export async function save(): Promise<void> {}\n\nexport function handler(): void {\n  save();\n}\n';
    expect(await problemsOf(`api/src/${PLANTED}.ts`, code)).toEqual(['@typescript-eslint/no-floating-promises:4']);
    expect(await problemsOf(`api/src/${PLANTED}.ts`, code.replace('  save();', '  void save();'))).toEqual([]);
  });

  it('fails on a hook called conditionally in the console', async () => {
    const code = [
      "import { useState } from 'react';",
      '',
      'export function Thing({ on }: { on: boolean }) {',
      '  if (!on) return null;',
      '  const [n] = useState(0);',
      '  return n;',
      '}',
      '',
    ].join('\n');
    expect(await problemsOf(`admin/src/${PLANTED}.tsx`, code)).toContain('react-hooks/rules-of-hooks:5');
  });
});

describe('npm run format:check', () => {
  const checked = async (file: string, source: string) => {
    const filepath = path.join(ROOT, file);
    const info = await prettier.getFileInfo(filepath, { ignorePath: path.join(ROOT, '.prettierignore') });
    expect(info.ignored).toBe(false);
    return prettier.check(source, { ...(await prettier.resolveConfig(filepath)), filepath });
  };

  it('fails on a file Prettier would change', async () => {
    expect(await checked(`api/src/${PLANTED}.ts`, 'export const a = {b:1,\n  c : "two"}\n')).toBe(false);
    expect(await checked(`api/src/${PLANTED}.ts`, "export const a = { b: 1, c: 'two' };\n")).toBe(true);
  });
});

describe('npm run deps', () => {
  /** Cruises a planted tree (paths as in this repository) with the rules of .dependency-cruiser.cjs. */
  const violationsOf = async (files: Record<string, string>): Promise<string[]> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-gates-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS, as the CLI reads it
      const config = require(path.join(ROOT, '.dependency-cruiser.cjs')) as {
        forbidden: object[];
        options: Record<string, unknown>;
      };
      const { cruise } = await import('dependency-cruiser');
      const { tsConfig: _ownTsConfig, ...options } = config.options;
      const result = await cruise(['api'], {
        ...options,
        baseDir: dir,
        validate: true,
        ruleSet: { forbidden: config.forbidden },
      } as never);
      const output = result.output as {
        summary: { violations: { rule: { name: string }; from: string; to: string }[] };
      };
      return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('fails when the scoring engine imports the database', async () => {
    expect(
      await violationsOf({
        'api/src/db/data-source.ts': 'export const ds = 1;\n',
        'api/src/scoring-engine/engine.ts': "import { ds } from '../db/data-source';\nexport const x = ds;\n",
      }),
    ).toEqual(['scoring-engine-is-pure: api/src/scoring-engine/engine.ts -> api/src/db/data-source.ts']);
  });

  it('fails on an import cycle, also when one side imports only a type', async () => {
    expect(
      await violationsOf({
        'api/src/core/a.ts': "import { b } from './b';\nexport interface A { n: number }\nexport const a = b;\n",
        'api/src/core/b.ts': "import type { A } from './a';\nexport const b: A = { n: 1 };\n",
      }),
    ).toEqual([expect.stringMatching(/^no-circular: api\/src\/core\/(a\.ts -> .*b|b\.ts -> .*a)\.ts$/)]);
  });

  it('fails when core imports a module, or anything inside imports an adapter', async () => {
    expect(
      await violationsOf({
        'api/src/modules/icp/icp.service.ts': 'export const icpService = 1;\n',
        'api/src/graphql/schema.ts': 'export const schema = 1;\n',
        'api/src/core/crud.service.ts':
          "import { icpService } from '../modules/icp/icp.service';\nexport const c = icpService;\n",
        'api/src/versioning/snapshot.ts': "import { schema } from '../graphql/schema';\nexport const s = schema;\n",
      }),
    ).toEqual([
      'adapters-are-outside: api/src/versioning/snapshot.ts -> api/src/graphql/schema.ts',
      'core-is-below-modules: api/src/core/crud.service.ts -> api/src/modules/icp/icp.service.ts',
    ]);
  });

  it('passes a planted tree that keeps the rules (the failures above are the planted imports)', async () => {
    expect(
      await violationsOf({
        'api/src/scoring-engine/runtime.ts': 'export const r = 1;\n',
        'api/src/scoring-engine/engine.ts': "import { r } from './runtime';\nexport const x = r;\n",
        'api/src/modules/icp/icp.service.ts': "import { x } from '../../scoring-engine/engine';\nexport const s = x;\n",
      }),
    ).toEqual([]);
  });
});
