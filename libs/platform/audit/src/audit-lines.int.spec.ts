import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditLines } from './audit-lines';

describe('readAuditLines', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-audit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const linesOf = async (path: string): Promise<string[]> => {
    const lines: string[] = [];
    for await (const line of readAuditLines(path)) lines.push(line);
    return lines;
  };

  it('yields each line of a file without its line feed', async () => {
    const path = join(dir, 'export.jsonl');
    await writeFile(path, '{"a":1}\n{"b":2}\r\n\n{"c":3}\n');
    expect(await linesOf(path)).toEqual(['{"a":1}', '{"b":2}', '', '{"c":3}']);
  });

  it('rejects when the file cannot be read', async () => {
    await expect(linesOf(join(dir, 'missing.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
