import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

/**
 * Serves the built console (admin/dist). Its assets have content hashes in
 * their names, so browsers keep them for a year; `npm run build:admin` also
 * writes Brotli and gzip copies, sent to browsers that accept them (the
 * first page's JavaScript is about a quarter of its size compressed).
 * index.html is always revalidated, so a new release is picked up at once.
 */
export function consoleAssets(dist: string): express.Router {
  const router = express.Router();
  const assets = path.join(dist, 'assets');
  const ENCODINGS = [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const;
  router.use('/assets', (req, res, next) => {
    const file = path.join(assets, path.normalize(decodeURIComponent(req.path)));
    if (!file.startsWith(assets + path.sep)) return next();
    // A chunk of an older release is gone: a 404 (not cached for a year, not the page in its place).
    if (!fs.existsSync(file)) return res.status(404).end();
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    const accepted = String(req.headers['accept-encoding'] ?? '');
    for (const [encoding, ext] of ENCODINGS) {
      if (accepted.includes(encoding) && fs.existsSync(file + ext)) {
        res.setHeader('Content-Encoding', encoding);
        res.setHeader('Vary', 'Accept-Encoding');
        res.type(path.extname(file));
        return res.sendFile(file + ext);
      }
    }
    next();
  });
  router.use(
    express.static(dist, {
      index: false,
      setHeaders: (res, file) => !file.startsWith(assets) && res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  // The console routes in the browser (#/…); any other path under /admin is its page.
  router.get(/.*/, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dist, 'index.html'));
  });
  return router;
}
