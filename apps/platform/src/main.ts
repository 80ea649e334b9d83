import 'reflect-metadata';
import {
  closeOnSignal,
  createLogger,
  embeddedConfig,
  exitOnStartFailure,
  logLevelConfig,
  routeNestLogsTo,
} from '@accord/service-kit';
import { startEmbedded } from './embedded';

// `npm start`: the whole system in one process on embedded storage.
async function main() {
  // Human-readable lines on a terminal, JSON lines (one per line, for a log shipper) otherwise.
  const pretty = process.stdout.isTTY === true;
  const logger = createLogger({ level: logLevelConfig(), name: 'accord', pretty });
  routeNestLogsTo(logger);
  const config = embeddedConfig();
  const platform = await startEmbedded(config, { logger });
  const secretNote = config.jwtSecretGenerated
    ? `JWT_SECRET was not set: a generated one is kept in ${config.dataDir}/jwt-secret.`
    : 'Tokens are verified with JWT_SECRET.';
  // The public half only: the private key stays in its 0600 file (or in AUDIT_SIGNING_KEY).
  const auditKey = config.auditSigningKey;
  const auditNote = auditKey.generatedIn
    ? `AUDIT_SIGNING_KEY was not set: audit exports are signed with a generated key kept in ${auditKey.generatedIn}; verify them with the public key in ${auditKey.publicKeyFile}.`
    : 'Audit exports are signed with AUDIT_SIGNING_KEY.';
  const banner = [
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
  ].join('\n');
  // The welcome text is for a person at a terminal; a log shipper gets it as one JSON line.
  if (pretty) console.log(banner);
  else logger.info({ url: platform.url }, banner.trim());
  closeOnSignal('Accord', () => platform.close());
}

main().catch(exitOnStartFailure('Accord'));
