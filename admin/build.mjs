// Builds the console for production whatever NODE_ENV the caller has (jest sets "test",
// which would otherwise give React's development JSX runtime).
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
await build({
  configFile: new URL('./vite.config.mts', import.meta.url).pathname,
  logLevel: 'warn',
  mode: 'production',
});

// Brotli and gzip copies of the assets, which the server sends to browsers that accept them.
const fs = await import('node:fs');
const zlib = await import('node:zlib');
const assets = new URL('./dist/assets/', import.meta.url).pathname;
for (const name of fs.readdirSync(assets)) {
  if (!/\.(js|css|svg|json)$/.test(name)) continue;
  const body = fs.readFileSync(assets + name);
  if (body.length < 1024) continue;
  fs.writeFileSync(
    `${assets}${name}.br`,
    zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  );
  fs.writeFileSync(`${assets}${name}.gz`, zlib.gzipSync(body, { level: 9 }));
}
