// ESLint: typescript-eslint + eslint-plugin-svelte, and ARCHITECTURE.md's rules between the rooms
// as import zones (so a wrong-way import fails CI instead of relying on goodwill).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const layer = (name) => ({
  group: [`**/${name}`, `**/${name}/**`],
  message: `ARCHITECTURE.md: this layer may not import ${name}/.`,
});
const nodeIo = ['fs', 'net', 'tls', 'http', 'https', 'child_process', 'dgram', 'dns'].flatMap((m) => [
  m,
  `node:${m}`,
  `node:${m}/promises`,
  `${m}/promises`,
]);
const electronValues = {
  name: 'electron',
  allowTypeImports: true,
  message: 'Only src-main/app/ imports electron values.',
};

/** One zone: files, forbidden layers, and extra paths. */
function zone(files, forbiddenLayers, { paths = [], patterns = [] } = {}) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [electronValues, ...paths], patterns: [...forbiddenLayers.map(layer), ...patterns] },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      // Mail is full of control characters that must be matched on purpose (header and file name cleaning).
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['src-renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // ---- the rooms (ARCHITECTURE.md "Rules between the rooms")
  zone(['src-main/domain/**'], ['protocols', 'mime', 'store', 'sync', 'accounts', 'api', 'app'], {
    paths: nodeIo.map((name) => ({ name, message: 'domain/ does no I/O.' })),
  }),
  zone(['src-main/protocols/imap/**'], ['mime', 'store', 'sync', 'accounts', 'api', 'app', 'pop3', 'smtp']),
  zone(['src-main/protocols/pop3/**'], ['mime', 'store', 'sync', 'accounts', 'api', 'app', 'imap', 'smtp']),
  zone(['src-main/protocols/smtp/**'], ['mime', 'store', 'sync', 'accounts', 'api', 'app', 'imap', 'pop3']),
  zone(['src-main/mime/**'], ['protocols', 'store', 'sync', 'accounts', 'api', 'app']),
  zone(['src-main/store/**'], ['protocols', 'mime', 'sync', 'accounts', 'api', 'app']),
  zone(['src-main/accounts/**'], ['protocols', 'mime', 'sync', 'api', 'app']),
  zone(['src-main/sync/**'], ['api', 'app']),
  zone(['src-main/api/**'], ['app'], {
    paths: [{ name: 'electron', allowTypeImports: true, message: 'api/ receives ipcMain as a parameter.' }],
  }),
  {
    files: ['src-main/app/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer has no Electron; it talks to main through the API.' },
          ],
          patterns: [
            {
              group: ['**/src-main/**'],
              allowTypeImports: true,
              message: 'The renderer imports only types from the API contract.',
            },
            { group: ['node:*'], message: 'No Node in the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
