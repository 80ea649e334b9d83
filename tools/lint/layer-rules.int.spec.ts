import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The layer rules are enforced by lint (STYLE.md); this proves the rules really fire, so a config
// change that silently disables them fails the build. ESLint (its CLI: its config is ESM) lints the
// text as if it lived at the given path, so nothing is written into the repository.
const root = join(__dirname, '..', '..');

describe('lint enforces the layers', () => {
  beforeAll(() => {
    // The Nx boundary rule reads the cached project graph (`npm run lint` computes it too).
    execFileSync(process.execPath, [require.resolve('nx/bin/nx'), 'show', 'projects'], { cwd: root, stdio: 'ignore' });
  }, 60_000);

  const messagesFor = async (code: string, filePath: string): Promise<string[]> => {
    const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const run = spawnSync(
      process.execPath,
      [eslint, '--stdin', '--stdin-filename', join(root, filePath), '--format', 'json'],
      {
        cwd: root,
        input: code,
        encoding: 'utf8',
      },
    );
    const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    ['NestJS', `import { Injectable } from '@nestjs/common';\nexport const x = Injectable;`],
    ['pg', `import { Pool } from 'pg';\nexport const x = Pool;`],
    ['nats', `import { connect } from 'nats';\nexport const x = connect;`],
    ['node I/O', `import { readFileSync } from 'node:fs';\nexport const x = readFileSync;`],
  ])('a domain lib importing %s fails', async (_name, code) => {
    const messages = await messagesFor(code, 'libs/membership/domain/src/violation.ts');
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('a domain lib importing an adapter lib breaks the Nx module boundaries', async () => {
    const messages = await messagesFor(
      `import type { EventStore } from '@accord/eventstore';\nexport type X = EventStore;`,
      'libs/invitation/domain/src/violation.ts',
    );
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('one bounded context may not import another', async () => {
    const messages = await messagesFor(
      `import { accountDecider } from '@accord/membership-domain';\nexport const x = accountDecider;`,
      'libs/invitation/domain/src/violation.ts',
    );
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it.each([
    [
      "a service importing another context's service",
      `import { MembershipServiceModule } from '@accord/membership-service';\nexport const x = MembershipServiceModule;`,
      'libs/api-token/service/src/violation.ts',
    ],
    [
      "a service importing another context's domain",
      `import { accountDecider } from '@accord/membership-domain';\nexport const x = accountDecider;`,
      'libs/invitation/service/src/violation.ts',
    ],
    [
      "the gateway importing a context's domain",
      `import { accountDecider } from '@accord/membership-domain';\nexport const x = accountDecider;`,
      'libs/gateway/http/src/violation.ts',
    ],
    [
      'a platform lib importing a context',
      `import { ApiTokenServiceModule } from '@accord/api-token-service';\nexport const x = ApiTokenServiceModule;`,
      'libs/platform/messaging/src/violation.ts',
    ],
    [
      'a spec importing another context',
      `import { MembershipServiceModule } from '@accord/membership-service';\nexport const x = MembershipServiceModule;`,
      'libs/api-token/service/src/violation.int.spec.ts',
    ],
  ])('no context imports another: %s breaks the Nx module boundaries', async (_name, code, path) => {
    const messages = await messagesFor(code, path);
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('a service may import its own domain and the platform libs', async () => {
    const code = `import { accountDecider } from '@accord/membership-domain';\nimport { handleCommand } from '@accord/eventstore';\nexport const x = [accountDecider, handleCommand];`;
    expect(await messagesFor(code, 'libs/membership/service/src/fine.ts')).toEqual([]);
  });

  it('the domain reads no clock', async () => {
    const messages = await messagesFor(
      `export const now = () => new Date();`,
      'libs/invitation/domain/src/violation.ts',
    );
    expect(messages.some((m) => m.startsWith('no-restricted-syntax'))).toBe(true);
  });

  it('the same imports are fine in an adapter lib', async () => {
    const messages = await messagesFor(
      `import { Pool } from 'pg';\nexport const x = Pool;`,
      'libs/platform/eventstore/src/fine.ts',
    );
    expect(messages).toEqual([]);
  });
});
