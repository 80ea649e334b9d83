// Lints the OpenAPI document on stdin with Redocly's `recommended` ruleset and prints the problems
// as JSON on stdout. A script, not a module of the spec: @redocly/openapi-core is ESM-only and
// Jest's CommonJS runtime cannot load it, so openapi.lint.unit.spec.ts runs this with Node itself.
import { createConfig, lintFromString } from '@redocly/openapi-core';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({
  source: Buffer.concat(chunks).toString('utf8'),
  absoluteRef: 'openapi.json',
  config,
});
const found = problems.map((problem) => ({
  severity: problem.severity,
  ruleId: problem.ruleId,
  message: problem.message,
  where: problem.location.map((location) => location.pointer).join(' '),
}));
process.stdout.write(JSON.stringify(found));
