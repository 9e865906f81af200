// `npm run lint`: ESLint with typescript-eslint's type-aware rules (each file checked with the types of its
// tsconfig: tsconfig.json for api/src, tests, bench and migrations; admin/tsconfig.json for the console), and
// the React hooks rules for the console. Formatting is Prettier's job (npm run format:check), not ESLint's.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'admin/dist/',
      'admin/src/generated/',
      'coverage/',
      '.data/',
      '.reliability/',
      '.scratch/',
      'tests/e2e/screenshots/',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The decorator options make consistent-type-imports keep value imports that decorator metadata needs.
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
      },
      globals: globals.node,
    },
    rules: {
      // `any` enters only at untyped edges (pg rows, JSON.parse, YAML, HTTP and GraphQL response bodies) and is
      // narrowed where it is used; flagging every read of it would add casts, not checks.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // type-graphql and TypeORM name classes as `Function` (their own ClassType); the registry passes them on.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Apollo plugin hooks and CrudService hooks are typed to return promises; many have nothing to await.
      '@typescript-eslint/require-await': 'off',
      // The few explicit `any` name those same untyped rows (Record<string, any> of a parsed file or response).
      '@typescript-eslint/no-explicit-any': 'off',
      // Messages and CSV cells print values already narrowed by typeof checks that `unknown` cannot carry.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // Type imports stay type imports, so an import that is only a type never runs (and never makes a cycle at
      // run time); `import type` or inline `type` both fine.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // Unused names are errors, except the `_` prefix that says "deliberately unused" (rest siblings, arguments).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain JavaScript (bin/, build scripts, configs): no type information to check with.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // React-Admin's protocol: checkAuth rejects with `{ message: false }` to go to sign-in without a notification.
    files: ['admin/src/providers/authProvider.ts'],
    rules: { '@typescript-eslint/prefer-promise-reject-errors': 'off' },
  },
  {
    files: ['admin/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
);
