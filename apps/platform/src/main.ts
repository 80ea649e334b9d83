import 'reflect-metadata';
import { closeOnSignal, embeddedConfig, exitOnStartFailure } from '@accord/service-kit';
import { startEmbedded } from './embedded';

// `npm start`: the whole system in one process on embedded storage.
async function main() {
  const config = embeddedConfig();
  const platform = await startEmbedded(config);
  const secretNote = config.jwtSecretGenerated
    ? `JWT_SECRET was not set: a generated one is kept in ${config.dataDir}/jwt-secret.`
    : 'Tokens are verified with JWT_SECRET.';
  // The public half only: the private key stays in its 0600 file (or in AUDIT_SIGNING_KEY).
  const auditKey = config.auditSigningKey;
  const auditNote = auditKey.generatedIn
    ? `AUDIT_SIGNING_KEY was not set: audit exports are signed with a generated key kept in ${auditKey.generatedIn}; verify them with the public key in ${auditKey.publicKeyFile}.`
    : 'Audit exports are signed with AUDIT_SIGNING_KEY.';
  console.log(
    [
      '',
      `Accord is running on ${platform.url}  (OpenAPI: ${platform.url}/docs)`,
      secretNote,
      auditNote,
      ...(config.devTokens
        ? [
            'Dev token endpoint: ON (anyone can get a session token for any e-mail; loopback only unless ACCORD_DEV_TOKENS=1):',
            `  curl -s -X POST ${platform.url}/v1/dev/tokens -H 'content-type: application/json' -d '{"email":"you@example.com"}'`,
          ]
        : [
            'Dev token endpoint: OFF (not listening on loopback; ACCORD_DEV_TOKENS=1 turns it on). Sign in through your identity provider.',
          ]),
      'The README walks through sharing access and accepting it.',
      '',
    ].join('\n'),
  );
  closeOnSignal('Accord', () => platform.close());
}

main().catch(exitOnStartFailure('Accord'));
