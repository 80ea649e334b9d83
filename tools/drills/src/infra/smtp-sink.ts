import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { ReceivedMail, SmtpSink } from '../ports';
import { freePort } from '../../../shared/loopback';

export interface SmtpSinkHandle extends SmtpSink {
  readonly port: number;
  /** Transactions refused while `refuse(true)` was on (RCPT or DATA answered 451). */
  readonly refusals: number;
}

/** A temporary failure: the sender must keep the mail and try again later. */
function temporaryFailure(): Error {
  return Object.assign(new Error('Drill: mailbox temporarily unavailable, try again later'), { responseCode: 451 });
}

/** The header block of a message (up to the first empty line), unfolded, keyed by lower-case name. */
export function parseHeaders(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const headers = new Map<string, string>();
  let current: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current) {
      headers.set(current, `${headers.get(current) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    current = line.slice(0, colon).trim().toLowerCase();
    // First occurrence wins (a duplicated header is the sender's problem, not the sink's).
    if (!headers.has(current)) headers.set(current, line.slice(colon + 1).trim());
    else current = null;
  }
  return headers;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as nodemailer writes non-ASCII subjects. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      try {
        return new TextDecoder(charset).decode(bytes);
      } catch {
        return bytes.toString('utf8');
      }
    });
}

/** The addresses of a To header: `<a@b>` parts when present, else the bare comma-separated words. */
export function parseAddresses(value: string): string[] {
  const angled = [...value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)].map((m) => m[1] as string);
  if (angled.length) return angled;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.includes('@'));
}

/**
 * An SMTP server on a free loopback port: no TLS (STARTTLS disabled), no authentication needed,
 * every mail recorded (Message-ID as written, angle brackets included; To from the header, else
 * the envelope; Subject decoded). `refuse(true)` answers RCPT TO and DATA with 451 until
 * `refuse(false)`.
 */
export async function startSmtpSink(): Promise<SmtpSinkHandle> {
  const received: ReceivedMail[] = [];
  let refusing = false;
  let refusals = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    hideSTARTTLS: true,
    authOptional: true,
    logger: false,
    banner: 'accord drill sink',
    closeTimeout: 1_000,
    onRcptTo(_address, _session, callback) {
      if (refusing) {
        refusals++;
        return callback(temporaryFailure());
      }
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (refusing) {
          refusals++;
          return callback(temporaryFailure());
        }
        const headers = parseHeaders(Buffer.concat(chunks).toString('utf8'));
        const headerTo = parseAddresses(headers.get('to') ?? '');
        received.push({
          messageId: headers.get('message-id') ?? '',
          to: headerTo.length ? headerTo : session.envelope.rcptTo.map((r) => r.address),
          subject: decodeEncodedWords(headers.get('subject') ?? ''),
          receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  // A client dropping its connection mid-transaction is not the sink's failure.
  server.on('error', () => undefined);
  let closed = false;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    get refusals() {
      return refusals;
    },
    refuse(on) {
      refusing = on;
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
