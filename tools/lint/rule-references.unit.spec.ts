import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { RULES_DOC_PATH, parseRulesDoc } from '../docs/rules-doc';

// Code comments point at the rules of docs/rules.md by their ids (MEM-9, SEC-3a, …). A reader of
// the repository can open that file; they cannot open the product's seed documents or the issues
// the work was filed under. This scans every non-spec .ts file of libs/, apps/ and tools/ and
// fails, listing file:line, on:
//   - a comment that cites a seed ("seed 004", "seeds 003 and 004") or an issue ("issue 8");
//   - a comment that cites a rule by number alone ("rule 7", "Rule 12"), which only made sense
//     next to an issue;
//   - a rule id anywhere in the code that is not an id of docs/rules.md.
// Spec files are not scanned: their titles are named after the product documents on purpose.
const root = join(__dirname, '..', '..');

const SEED = /\bseeds? ?0\d{2}\b/i;
const ISSUE = /\bissues? ?#?\d+\b/i;
const RULE_NUMBER = /\brules? \d+\b/i;
const RULE_ID = /\b(?:MEM|INV|TOK|NOT|AUTHZ|EVT|EDGE|SEC)-\d+[a-z]?\b/g;

/** Every `.ts` file under `dir` that is not a spec, skipping dependencies and build output. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

interface CommentLine {
  readonly line: number;
  readonly text: string;
}

/**
 * The lines of every comment in `code` (line comments, block and doc comments), found as the
 * trivia before each token of the parsed file, so text inside strings and template literals is
 * never taken for a comment.
 */
function commentLines(path: string, code: string): CommentLine[] {
  const source = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true);
  const starts = new Set<number>();
  const found: CommentLine[] = [];
  const collect = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (starts.has(range.pos)) continue;
      starts.add(range.pos);
      const first = source.getLineAndCharacterOfPosition(range.pos).line;
      code
        .slice(range.pos, range.end)
        .split('\n')
        .forEach((text, index) => found.push({ line: first + index + 1, text: text.trim() }));
    }
  };
  const visit = (node: ts.Node): void => {
    // JSDoc nodes lie inside a comment already collected as the trivia of the node they document.
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    collect(ts.getLeadingCommentRanges(code, node.pos));
    collect(ts.getTrailingCommentRanges(code, node.end));
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return found.sort((a, b) => a.line - b.line);
}

/** Comments of one file that cite a seed, an issue or a bare rule number, as `path:line  text`. */
function staleReferencesIn(path: string, code = readFileSync(path, 'utf8')): string[] {
  return commentLines(path, code)
    .filter(({ text }) => SEED.test(text) || ISSUE.test(text) || RULE_NUMBER.test(text))
    .map(({ line, text }) => `${relative(root, path)}:${line}  ${text.slice(0, 140)}`);
}

/** Rule ids cited anywhere in one file that `known` does not hold, as `path:line  id`. */
function unknownRuleIdsIn(path: string, known: ReadonlySet<string>, code = readFileSync(path, 'utf8')): string[] {
  return code.split('\n').flatMap((text, index) =>
    [...text.matchAll(RULE_ID)]
      .map((match) => match[0])
      .filter((id) => !known.has(id))
      .map((id) => `${relative(root, path)}:${index + 1}  ${id}`),
  );
}

const KNOWN_IDS: ReadonlySet<string> = new Set(
  parseRulesDoc(readFileSync(RULES_DOC_PATH, 'utf8')).rows.map((row) => row.id),
);
const FILES = ['libs', 'apps', 'tools'].flatMap((dir) => sourceFiles(join(root, dir)));

function failWith(found: string[], advice: string): void {
  if (found.length > 0) throw new Error(`${found.length} ${advice}:\n  ${found.join('\n  ')}`);
}

describe('rule references in code', () => {
  it('reads the rule ids of docs/rules.md and finds the source files (the scans below would be blind without them)', () => {
    expect([...KNOWN_IDS]).toEqual(expect.arrayContaining(['MEM-9', 'INV-3', 'SEC-10a', 'EDGE-1']));
    expect(FILES.map((path) => relative(root, path))).toEqual(
      expect.arrayContaining(['libs/membership/domain/src/account.ts', 'tools/docs/rules-doc.ts']),
    );
    expect(FILES.filter((path) => path.endsWith('.spec.ts'))).toEqual([]);
  });

  it('flags the comments it looks for, and nothing else', () => {
    // Parsed from text only: nothing is written into the repository.
    const scan = (code: string) => staleReferencesIn(join(root, 'libs', 'example.ts'), code);
    expect(scan('/** Seed 001 "Unlink": what the member created stays. */\nexport const a = 1;')).toEqual([
      'libs/example.ts:1  /** Seed 001 "Unlink": what the member created stays. */',
    ]);
    expect(scan('const a = 1; // the permission catalog (seeds 003 and 004)')).toHaveLength(1);
    expect(scan('/*\n * Bounded (issue 8, rule 3): it stops alone.\n */\nconst a = 1;')).toEqual([
      'libs/example.ts:2  * Bounded (issue 8, rule 3): it stops alone.',
    ]);
    expect(scan('function f() {\n  g();\n  // Rule 7: an invitation dies with its sender.\n}')).toEqual([
      'libs/example.ts:3  // Rule 7: an invitation dies with its sender.',
    ]);
    expect(scan('const x = { a: 1 /* see issue 3 */ };')).toHaveLength(1);
    // Strings and template literals are not comments; ids and plain words are fine.
    expect(scan("const s = 'seed 004'; const t = `// issue 3 ${s} /* rule 7 */`;")).toEqual([]);
    expect(
      scan('/** MEM-9: what the member created stays with the account; rules of seeding apply. */\nconst a = 1;'),
    ).toEqual([]);
    expect(scan('// an issued token; the 3 rules below; seed 0 is no seed')).toEqual([]);
  });

  it('flags rule ids that docs/rules.md does not hold, and nothing else', () => {
    const scan = (code: string) =>
      unknownRuleIdsIn(join(root, 'tools', 'example.ts'), new Set(['MEM-9', 'SEC-3a']), code);
    expect(
      scan('// MEM-9 and SEC-3a hold.\n// SEC-3 and TOK-99 do not; NOTE-1, MEMBER-2 and mem-9 are no ids.'),
    ).toEqual(['tools/example.ts:2  SEC-3', 'tools/example.ts:2  TOK-99']);
  });

  it('no comment in a non-spec file of libs/, apps/ or tools/ cites a seed, an issue or a bare rule number', () =>
    failWith(
      FILES.flatMap((path) => staleReferencesIn(path)),
      'comment(s) cite a seed, an issue or a rule by number; cite the rule id of docs/rules.md instead ' +
        '(or say the reason in plain words, or add the rule to docs/rules.md)',
    ));

  it('every rule id cited in a non-spec file of libs/, apps/ or tools/ is an id of docs/rules.md', () =>
    failWith(
      FILES.flatMap((path) => unknownRuleIdsIn(path, KNOWN_IDS)),
      'rule id(s) that docs/rules.md does not list; fix the id or add the rule to docs/rules.md',
    ));
});
