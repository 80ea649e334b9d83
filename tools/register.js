// Runs the TypeScript sources directly (no build step for `npm start`): ts-node transpiles
// without type-checking (`npm run typecheck` does that) and keeps decorator metadata, which
// NestJS dependency injection and validation need; tsconfig-paths resolves `@accord/*`.
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_PROJECT = require('path').join(__dirname, '..', 'tsconfig.json');
require('ts-node/register');
require('tsconfig-paths/register');
require('reflect-metadata');
