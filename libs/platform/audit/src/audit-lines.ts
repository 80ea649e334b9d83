import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The lines of an export file, without their line feeds, read as a stream. A missing or unreadable
 * file rejects on the first read (readline alone would end quietly).
 */
export async function* readAuditLines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: 'utf8' });
  await once(input, 'open');
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
    input.destroy();
  }
}
