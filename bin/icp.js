#!/usr/bin/env node
'use strict';
// The `icp` command (package.json "bin"). The CLI is TypeScript compiled with the rest of the
// project into dist/; when dist/ is missing or older than the CLI's sources (a fresh clone, an
// edit), it is compiled first, so `npx icp` works right after `npm install`.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const main = path.join(root, 'dist', 'api', 'src', 'cli', 'main.js');
const sources = path.join(root, 'api', 'src', 'cli');
// The CLI's own sources, and the history verifier it shares with the server.
const core = path.join(root, 'api', 'src', 'core');
const shared = /^(hash-chain|history-(keys|checkpoint|verifier|rows))\.ts$/;

function stale() {
  if (!fs.existsSync(main)) return true;
  if (!fs.existsSync(sources)) return false; // an installed build without sources
  const built = fs.statSync(main).mtimeMs;
  const files = [
    ...fs.readdirSync(sources).map((f) => path.join(sources, f)),
    ...fs
      .readdirSync(core)
      .filter((f) => shared.test(f))
      .map((f) => path.join(core, f)),
  ];
  return files.some((f) => fs.statSync(f).mtimeMs > built);
}

if (stale()) {
  process.stderr.write('icp: compiling the project into dist/ first (missing, or older than the CLI sources)…\n');
  try {
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(root, 'tsconfig.build.json')],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  } catch {
    process.stderr.write('icp: the compilation failed; run npm install, then npm run build\n');
    process.exit(1);
  }
}

require(main)
  .main(process.argv.slice(2))
  .then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`icp: unexpected error: ${(e && e.stack) || e}\n`);
      process.exitCode = 1;
    },
  );
