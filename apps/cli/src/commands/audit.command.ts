import { Command } from 'commander';
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import type { EventEnvelope } from '@accord/contracts';
import { eventsMatching, type EventStore } from '@accord/eventstore';
import {
  auditExportLines,
  generateSigningKey,
  loadPublicKey,
  loadSigningKey,
  readAuditLines,
  verifyAuditExport,
} from '@accord/audit';
import { CheckFailedError, UsageError } from '../cli-errors';
import * as arg from '../io/arguments';
import { printJson, printLine } from '../io/output';
import { startProgress, type Progress } from '../io/progress';
import { dataDirOf, openStore } from '../io/store-connection';
import { withDataDir, type GlobalOptions } from '../global-options';
import { EMBEDDED_AUDIT_KEY_FILE } from '@accord/service-kit';

interface ExportOptions extends GlobalOptions {
  readonly account: string;
  readonly from?: string;
  readonly to?: string;
  readonly out: string;
  readonly json?: boolean;
}

const PAGE = 500;

/** `accord audit export | verify | keygen`: the signed, hash-chained JSON Lines of one account. */
export function auditCommand(): Command {
  const audit = new Command('audit').description('signed audit exports of an account, and their verification');

  withDataDir(
    audit
      .command('export')
      .description(
        'every event of an account in global order as JSON Lines, hash-chained and signed with AUDIT_SIGNING_KEY',
      )
      .requiredOption('--account <id>', 'the account', arg.accountId)
      .option('--from <iso>', 'events that occurred at or after this instant', arg.instant)
      .option('--to <iso>', 'events that occurred before this instant', arg.instant)
      .requiredOption('--out <file>', 'where to write the export (refuses to overwrite)')
      .option('--json', 'print the summary as JSON'),
  ).action(async (options: ExportOptions) => {
    const signingKey = signingKeyFor(options);
    if (existsSync(options.out)) throw new UsageError(`${options.out} exists; choose another --out.`);
    if (options.from && options.to && options.from >= options.to) throw new UsageError('--from must be before --to.');
    const connection = await openStore(options);
    try {
      const head = await connection.store.headPosition();
      const progress = startProgress('audit export', head);
      const counted = { events: 0 };
      const events = accountEvents(connection.store, options, head, progress, counted);
      const out = createWriteStream(options.out, { flags: 'wx', mode: 0o600 });
      for await (const line of auditExportLines(events, {
        accountId: options.account,
        from: options.from ?? null,
        to: options.to ?? null,
        signingKey,
      })) {
        if (!out.write(line)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      progress.stop();
      const summary = { account: options.account, events: counted.events, out: options.out };
      if (options.json) printJson(summary);
      else printLine(`Exported ${counted.events} events of account ${options.account} to ${options.out} (signed).`);
    } finally {
      await connection.close();
    }
  });

  withDataDir(
    audit
      .command('verify <file>')
      .description('checks every hash, the chain and the signature of an export; exit 1 names the first bad line')
      .option(
        '--public-key <pem>',
        "the signer's public key (PEM text or a file); default: AUDIT_SIGNING_KEY's, else the data folder's",
      )
      .option('--json', 'print the result as JSON'),
  ).action(async (file: string, options: GlobalOptions & { publicKey?: string; json?: boolean }) => {
    if (!existsSync(file)) throw new UsageError(`No such file: ${file}`);
    const pinned = expectedSigner(options);
    const result = await verifyAuditExport(readAuditLines(file), pinned ? { publicKey: pinned.key } : {});
    if (options.json) printJson({ ...result, signer: pinned?.source ?? 'the key the file names (not pinned)' });
    if (!result.ok) throw new CheckFailedError(`${file}: line ${result.line}: ${result.reason}`);
    if (!options.json)
      printLine(
        `${result.count} events verified (account ${result.accountId}), signed by ${pinned?.source ?? 'the key the file names'}.` +
          (pinned
            ? ''
            : ' No key was pinned: this shows the file is unchanged since it was signed, not who signed it.'),
      );
  });

  audit
    .command('keygen')
    .description('makes an Ed25519 signing key (PKCS#8 PEM, for AUDIT_SIGNING_KEY) and prints its public key')
    .requiredOption('--out <file>', 'where to write the private key (mode 0600; refuses to overwrite)')
    .action((options: { out: string }) => {
      if (existsSync(options.out)) throw new UsageError(`${options.out} exists; choose another --out.`);
      const key = generateSigningKey();
      writeFileSync(options.out, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
      printLine(
        `Private key written to ${options.out}; set AUDIT_SIGNING_KEY to its path (or its contents). Public key:`,
      );
      process.stdout.write(key.publicKeyPem.endsWith('\n') ? key.publicKeyPem : `${key.publicKeyPem}\n`);
    });
  return audit;
}

/**
 * Whose signature an export must carry: `--public-key`, else the public half of AUDIT_SIGNING_KEY,
 * else the data folder's generated key. Without any, verify checks the file against the key it names
 * itself, which proves integrity but not origin (anyone can re-sign a re-chained file).
 */
function expectedSigner(options: GlobalOptions & { publicKey?: string }): { key: KeyObject; source: string } | null {
  if (options.publicKey) return { key: loadPublicKey(options.publicKey), source: 'the --public-key key' };
  const configured = process.env['AUDIT_SIGNING_KEY'];
  if (configured) return { key: createPublicKey(loadSigningKey(configured)), source: "AUDIT_SIGNING_KEY's key" };
  const dataDir = dataDirOf(options);
  const kept = dataDir ? join(dataDir, EMBEDDED_AUDIT_KEY_FILE) : null;
  if (kept && existsSync(kept)) return { key: createPublicKey(loadSigningKey(kept)), source: `the key of ${dataDir}` };
  return null;
}

/**
 * AUDIT_SIGNING_KEY holds the PEM itself, or the path of a file holding it. Without it, a data
 * folder's own key (the one `npm start` generated and signs HTTP exports with) signs.
 */
function signingKeyFor(options: GlobalOptions) {
  let value = process.env['AUDIT_SIGNING_KEY'];
  const dataDir = dataDirOf(options);
  if (!value && dataDir && existsSync(join(dataDir, EMBEDDED_AUDIT_KEY_FILE)))
    value = join(dataDir, EMBEDDED_AUDIT_KEY_FILE);
  if (!value) throw new UsageError('AUDIT_SIGNING_KEY is not set (accord audit keygen --out FILE makes a key).');
  try {
    return loadSigningKey(value);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The account's events through `eventsMatching`, counted and shown on the progress bar. */
async function* accountEvents(
  store: EventStore,
  options: ExportOptions,
  head: number,
  progress: Progress,
  counted: { events: number },
): AsyncGenerator<EventEnvelope> {
  const query = {
    accountId: options.account,
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    limit: PAGE,
  };
  for await (const event of eventsMatching(store, query)) {
    counted.events += 1;
    progress.update(Math.min(event.globalPosition, head), counted.events);
    yield event;
  }
}
