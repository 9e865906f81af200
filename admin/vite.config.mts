import { defineConfig } from 'vite';

// Served by the API at /admin; the GraphQL schema is read from the committed schema.graphql.
export default defineConfig(({ mode }) => ({
  // Libraries (React, React-Admin) read process.env.NODE_ENV: production builds must say so.
  define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
  root: import.meta.dirname,
  base: '/admin/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // MUI marks its modules "use client"; that means nothing in a single-page app.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        // The framework in its own chunks, cached across releases; each page loads what it needs.
        // Libraries only some pages use (jsdiff, for the versions' word-level diffs) stay with those pages.
        manualChunks: (id: string) =>
          id.includes('node_modules/diff/')
            ? undefined
            : id.includes('node_modules/@mui')
              ? 'mui'
              : id.includes('node_modules/')
                ? 'vendor'
                : undefined,
      },
    },
  },
  server: { proxy: { '/graphql': 'http://localhost:4000' } },
}));
