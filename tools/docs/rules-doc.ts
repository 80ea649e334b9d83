import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { specTitles } from './spec-titles';

/** Repository root (this file is tools/docs/rules-doc.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const RULES_DOC_PATH = join(REPO_ROOT, 'docs', 'rules.md');

/** A rule id: a context prefix and a number, with an optional letter for the parts of one rule (`SEC-10b`). */
export const RULE_ID = /^[A-Z]{2,6}-\d+[a-z]?$/;

/** One file named in a cell, with the code spans that follow it (function names, or spec titles). */
export interface FileRef {
  readonly path: string;
  readonly names: readonly string[];
}

export interface RuleRow {
  readonly line: number;
  readonly id: string;
  readonly rule: string;
  readonly heldBy: readonly FileRef[];
  readonly specs: readonly FileRef[];
}

/**
 * The rule rows of docs/rules.md: table rows whose first cell is a rule id, with four cells —
 * id | rule | held by | spec. "Held by" and "spec" are code spans: a repository path, then the
 * names it holds (exported functions, classes, or for a spec the titles or literal parts of
 * titles of its `describe`/`it`); another path starts another group.
 */
export function parseRulesDoc(markdown: string): { rows: RuleRow[]; problems: string[] } {
  const rows: RuleRow[] = [];
  const problems: string[] = [];
  markdown.split('\n').forEach((text, index) => {
    const line = index + 1;
    if (!text.trimStart().startsWith('|')) return;
    const cells = splitRow(text);
    const id = cells[0]?.replace(/`/g, '') ?? '';
    if (!RULE_ID.test(id)) return;
    if (cells.length !== 4) {
      problems.push(
        `docs/rules.md:${line} ${id}: expected 4 cells (id | rule | held by | spec), found ${cells.length}`,
      );
      return;
    }
    rows.push({ line, id, rule: cells[1]!, heldBy: fileRefs(cells[2]!), specs: fileRefs(cells[3]!) });
  });
  return { rows, problems };
}

/** Everything wrong with the doc against the tree under `root`; empty when it holds. */
export function checkRulesDoc(markdown: string, root: string = REPO_ROOT): string[] {
  const { rows, problems } = parseRulesDoc(markdown);
  if (rows.length === 0) problems.push('docs/rules.md lists no rule');
  const titlesOf = memo((path: string) => specTitles(readFileSync(join(root, path), 'utf8'), path));
  const textOf = memo((path: string) => readFileSync(join(root, path), 'utf8'));
  const seen = new Map<string, number>();
  for (const row of rows) {
    const at = `docs/rules.md:${row.line} ${row.id}`;
    if (seen.has(row.id)) problems.push(`${at}: id already used on line ${seen.get(row.id)}`);
    seen.set(row.id, row.line);
    if (row.rule.length === 0) problems.push(`${at}: states no rule`);
    if (row.heldBy.length === 0) problems.push(`${at}: names no file that holds the rule`);
    if (row.specs.length === 0) problems.push(`${at}: names no spec`);
    for (const { path, names } of row.heldBy) {
      if (!existsSync(join(root, path))) {
        problems.push(`${at}: ${path} does not exist`);
        continue;
      }
      if (names.length === 0) problems.push(`${at}: names no function in ${path}`);
      for (const name of names) if (!mentions(textOf(path), name)) problems.push(`${at}: ${path} has no ${name}`);
    }
    for (const { path, names } of row.specs) {
      if (!existsSync(join(root, path))) {
        problems.push(`${at}: spec ${path} does not exist`);
        continue;
      }
      if (names.length === 0) problems.push(`${at}: names no spec title in ${path}`);
      const titles = titlesOf(path);
      for (const name of names) {
        if (!titles.some((title) => title.includes(name)))
          problems.push(`${at}: no describe/it title in ${path} contains "${name}"`);
      }
    }
  }
  return problems;
}

/** Cells of a Markdown table row; `\|` is a pipe inside a cell. */
function splitRow(text: string): string[] {
  const inner = text.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

const PATH = /^(apps|libs|tools|deploy|docs)\/\S+\.[a-z]+$/;

function fileRefs(cell: string): FileRef[] {
  const refs: { path: string; names: string[] }[] = [];
  for (const [, span] of cell.matchAll(/`([^`]+)`/g)) {
    if (PATH.test(span!)) refs.push({ path: span!, names: [] });
    else if (refs.length > 0) refs[refs.length - 1]!.names.push(span!);
  }
  return refs;
}

/** An identifier as a whole word; anything else (a config user name, a section) as written. */
function mentions(text: string, name: string): boolean {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return text.includes(name);
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
}

function memo<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}
