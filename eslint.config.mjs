// Layer rules are enforced by the linter, not by review (STYLE.md): Nx tags say which project
// may depend on which, and domain libs may not touch I/O, frameworks or the clock's libraries.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const ioModules = [
  '@nestjs/*',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'nats',
  'nodemailer',
  'smtp-server',
  'jose',
  'fs',
  'fs/*',
  'node:*',
  'net',
  'http',
  'https',
  'child_process',
  'crypto',
  'os',
  'path',
  'class-validator',
  'class-transformer',
  'uuid',
  '@eventstore/*',
  'mongoose',
];

// Which project may depend on which (nx-examples style): a `type` layer and a bounded-context
// `scope`. Spec files may also use the `type:testing` helpers (real databases, NATS prefixes).
function boundaries({ specs }) {
  const testing = specs ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allowCircularSelfDependency: false,
    depConstraints: [
      // Pure layers: the contract and the domain know nothing of transports or storage.
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', ...testing] },
      {
        sourceTag: 'type:adapter',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:adapter', ...testing],
      },
      {
        sourceTag: 'type:service',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:adapter', ...testing],
      },
      // A composition lib lists what several contexts' services offer (the ops tools' registry of
      // read models): it may read services, nothing but apps may read it.
      {
        sourceTag: 'type:composition',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:adapter', 'type:service'],
      },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:adapter', 'type:domain', 'type:testing'],
      },
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: [
          'type:contracts',
          'type:domain',
          'type:adapter',
          'type:service',
          'type:composition',
          ...testing,
        ],
      },
      // A bounded context (libs/<context>/<type>) depends on itself and the shared kernel
      // (libs/platform/*, scope:shared) only; the gateway and the platform app compose them.
      { sourceTag: 'scope:invitation', onlyDependOnLibsWithTags: ['scope:invitation', 'scope:shared'] },
      { sourceTag: 'scope:membership', onlyDependOnLibsWithTags: ['scope:membership', 'scope:shared'] },
      { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
      { sourceTag: 'scope:api-token', onlyDependOnLibsWithTags: ['scope:api-token', 'scope:shared'] },
      { sourceTag: 'scope:notification', onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
      { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
      // The web console talks to Accord over its public HTTP API only: it imports no project.
      { sourceTag: 'type:web', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:console', onlyDependOnLibsWithTags: [] },
    ],
  };
}

export default [
  { ignores: ['**/node_modules/**', 'dist/**', 'data/**', 'coverage/**', '.nx/**', 'tmp/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', 'apps/console/src/**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Prettier wraps code at 120 (npm run lint checks it); it leaves long strings and comments
      // alone, so comments are held to the same width here. Strings (spec titles, messages) may run on.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
      '@nx/enforce-module-boundaries': ['error', boundaries({ specs: false })],
    },
  },
  {
    // The domain is pure: no framework, no I/O, no randomness source (ids and time arrive on commands).
    files: [
      'libs/*/domain/src/**/*.ts',
      'libs/membership/permissions/src/**/*.ts',
      'libs/platform/contracts/src/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ioModules,
              message: 'Domain and contract libs are pure: no I/O, framework or randomness imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The domain performs no I/O.' },
        { name: 'setTimeout', message: 'The domain does not wait.' },
        { name: 'process', message: 'The domain reads no environment.' },
      ],
      // Date is allowed as a value (parsing the command's `now`), never as a clock read.
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time arrives on the command (metadata.now), never from the clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time arrives on the command (metadata.now), never from the clock.',
        },
        {
          selector: "CallExpression[callee.object.name='crypto']",
          message: 'No randomness in the domain: ids arrive on the command.',
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'No randomness in the domain.' },
      ],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      'libs/platform/testing/**/*.ts',
      'libs/platform/decider-spec/**/*.ts',
      '**/src/testing/**/*.ts',
    ],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ specs: true })],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
];
