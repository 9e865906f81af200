// Builds the console for production whatever NODE_ENV the caller has (jest sets "test",
// which would otherwise give React's development JSX runtime).
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
await build({ configFile: new URL('./vite.config.mts', import.meta.url).pathname, logLevel: 'warn', mode: 'production' });
