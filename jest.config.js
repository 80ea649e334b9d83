// One Jest run, three levels named by file suffix (STYLE.md): *.unit.spec.ts need nothing;
// *.int.spec.ts talk to the real PostgreSQL / NATS / SMTP on loopback; *.e2e.spec.ts drive the
// whole system over HTTP. Integration and e2e run in band: they share the machine's services.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const base = {
  testEnvironment: 'node',
  // The console's logic is browser code (DOM, JSX): its own compiler options. First match wins.
  transform: {
    '^.+/apps/console/src/.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/apps/console/tsconfig.json' }],
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  setupFiles: ['reflect-metadata'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
};

module.exports = {
  // Integration and end-to-end specs meet real servers on a shared 2-core machine: give each test
  // room (a per-project testTimeout is not a Jest option).
  testTimeout: 30_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['**/*.int.spec.ts'],
      slowTestThreshold: 30,
    },
    { ...base, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'], slowTestThreshold: 60 },
  ],
};
