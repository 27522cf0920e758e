// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'scratch/', 'coverage/', '.bench-build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // CommonJS files (a worker of the tests that requires sources through tsx's require hook).
    files: ['test/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The pure stages: they run wherever there is JavaScript (worker threads, other machines).
    files: ['src/read/**/*.ts', 'src/write/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'fs/*', 'path', 'stream', 'stream/*', 'zlib', 'os', 'worker_threads', 'child_process'], message: 'src/read and src/write stay pure: I/O lives in src/io (docs/ARCHITECTURE.md).' }] },
      ],
    },
  },
  {
    // Files, streams and compression are touched in src/io alone (types may be named anywhere).
    files: ['src/*.ts', 'src/job/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['node:fs', 'node:fs/*', 'node:zlib', 'node:stream', 'node:stream/*', 'fs', 'fs/*', 'zlib', 'stream'], allowTypeImports: true, message: 'Only src/io touches files, streams and zlib (docs/ARCHITECTURE.md).' }],
        },
      ],
    },
  },
);
