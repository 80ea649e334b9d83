import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULES_DOC_PATH, checkRulesDoc, parseRulesDoc } from './rules-doc';
import { specTitles } from './spec-titles';

// docs/rules.md names, for every product rule, the code that holds it and the spec that proves
// it. This spec keeps the doc honest: a renamed or deleted spec, a moved decider or a row left
// without a spec fails here, naming the row.

describe('docs/rules.md', () => {
  const doc = existsSync(RULES_DOC_PATH) ? readFileSync(RULES_DOC_PATH, 'utf8') : '';

  it('exists', () => expect(existsSync(RULES_DOC_PATH)).toBe(true));

  it('every row names existing code and a spec title that still exists', () => expect(checkRulesDoc(doc)).toEqual([]));

  it('lists each of the 14 hardening rules of issue 8 (SEC-1 … SEC-14)', () => {
    const ids = parseRulesDoc(doc).rows.map((row) => row.id);
    const missing = Array.from({ length: 14 }, (_, i) => i + 1).filter(
      (n) => !ids.some((id) => new RegExp(`^SEC-${n}[a-z]?$`).test(id)),
    );
    expect(missing).toEqual([]);
  });
});

describe('the rules-doc check itself', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'rules-doc-'));
    mkdirSync(join(root, 'libs/x/src'), { recursive: true });
    writeFileSync(join(root, 'libs/x/src/rule.ts'), 'export function decideX() {}\nfunction mayX() {}\n');
    writeFileSync(
      join(root, 'libs/x/src/rule.unit.spec.ts'),
      "describe('X rules', () => {\n  it(`holds for ${N} cases`, () => {});\n  it.each([1])('case %s', () => {});\n});\n// it('only in a comment')\n",
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const row = (held: string, spec: string) =>
    `| ID | rule | held by | spec |\n|---|---|---|---|\n| TST-1 | A rule. | ${held} | ${spec} |\n`;
  const held = '`libs/x/src/rule.ts` `decideX` `mayX`';
  const check = (markdown: string) => checkRulesDoc(markdown, root);

  it('passes a row whose code and spec titles exist, matching a literal part of a template-literal title', () =>
    expect(check(row(held, '`libs/x/src/rule.unit.spec.ts` `X rules` `holds for` `cases` `case %s`'))).toEqual([]));

  it('fails a row without a spec', () =>
    expect(check(row(held, ''))).toEqual(['docs/rules.md:3 TST-1: names no spec']));

  it('fails a spec file that does not exist', () =>
    expect(check(row(held, '`libs/x/src/gone.unit.spec.ts` `X rules`'))).toEqual([
      'docs/rules.md:3 TST-1: spec libs/x/src/gone.unit.spec.ts does not exist',
    ]));

  it('fails a title that no longer occurs, even if the text is still in a comment', () =>
    expect(check(row(held, '`libs/x/src/rule.unit.spec.ts` `only in a comment`'))).toEqual([
      'docs/rules.md:3 TST-1: no describe/it title in libs/x/src/rule.unit.spec.ts contains "only in a comment"',
    ]));

  it('fails a spec file named without a title', () =>
    expect(check(row(held, '`libs/x/src/rule.unit.spec.ts`'))).toEqual([
      'docs/rules.md:3 TST-1: names no spec title in libs/x/src/rule.unit.spec.ts',
    ]));

  it('fails a function the named file no longer has', () =>
    expect(check(row('`libs/x/src/rule.ts` `decideY`', '`libs/x/src/rule.unit.spec.ts` `X rules`'))).toEqual([
      'docs/rules.md:3 TST-1: libs/x/src/rule.ts has no decideY',
    ]));

  it('fails an id used twice', () => {
    const markdown = row(held, '`libs/x/src/rule.unit.spec.ts` `X rules`');
    expect(check(markdown + markdown.split('\n')[2] + '\n')).toEqual([
      'docs/rules.md:4 TST-1: id already used on line 3',
    ]);
  });

  it('reads template-literal titles with their placeholders, and it.each titles as written', () =>
    expect(
      specTitles("describe(`a ${b} c`, () => { it.each([1])('%s: d', () => {}); test.skip('e', () => {}); });"),
    ).toEqual(['a ${b} c', '%s: d', 'e']));
});
