// One linter for the whole repo. Besides style, it enforces the layer arrows of DESIGN.md:
// shared/ is pure, the renderer never reaches Node or Electron, raw IPC lives only in the IPC modules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = {
  group: ['node:*', ...builtinModules.filter((m) => !m.startsWith('_'))],
  message: 'This layer must not use Node built-ins.',
};
const electronModule = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron.',
};
const reactModules = [
  { name: 'react', message: 'UI libraries belong to renderer/.' },
  { name: 'react-dom', message: 'UI libraries belong to renderer/.' },
  { name: 'monaco-editor', message: 'UI libraries belong to renderer/.' },
];
const intoElectron = {
  group: ['**/electron/**', '../electron', '../../electron'],
  message: 'Do not import the Electron/backend layer from here.',
};
const intoRenderer = {
  group: ['**/renderer/**'],
  message: 'Do not import the renderer from here.',
};
const intoSandbox = {
  group: ['**/sandbox/**', '!**/sandbox/index'],
  message: 'The app may start the sandbox only through sandbox/index.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      '.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // CommonJS on purpose (bin/conflict-desk.cjs starts without the ES module loader).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals.' },
      ],
    },
  },
  {
    // Rules that need the type checker: each file is linted with the settings of its own tsconfig,
    // found through the references of the solution tsconfig.json (as editors find them).
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A switch over a union names every member, or says by its own `default` that the rest share one answer.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule, ...reactModules],
          patterns: [nodeBuiltins, intoElectron, intoRenderer, intoSandbox],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'electron/**/*.ts'],
    rules: {
      // `void promise` is no handling: a rejected call must reach the operator (renderer:
      // store/background.ts) or the log, or say by an eslint-disable comment why it cannot matter.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule],
          patterns: [nodeBuiltins, intoElectron, intoSandbox],
        },
      ],
    },
  },
  {
    files: ['electron/backend/**/*.ts', 'electron/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule, ...reactModules],
          patterns: [intoRenderer, intoSandbox],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    // The entry hands ipcMain to ipc.ts and touches it nowhere else.
    ignores: [
      'electron/main/ipc.ts',
      'electron/main/index.ts',
      'electron/preload/index.ts',
      'electron/**/*.test.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Raw ipcMain only in electron/main/ipc.ts.',
        },
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Raw ipcRenderer only in electron/preload/index.ts.',
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [...reactModules], patterns: [intoRenderer, intoSandbox] },
      ],
    },
  },
  {
    files: ['sandbox/**/*.ts'],
    ignores: ['sandbox/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronModule, ...reactModules], patterns: [intoElectron, intoRenderer] },
      ],
    },
  },
);
