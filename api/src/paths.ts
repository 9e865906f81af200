import fs from 'node:fs';
import path from 'node:path';

/** The repository root (where package.json is), whether running from api/src or dist/api/src. */
export const PROJECT_ROOT = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
})();
