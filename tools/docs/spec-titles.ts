import ts from 'typescript';

/** Jest's test-defining functions, also as `it.each(…)(…)`, `describe.only`, `test.skip` … */
const TEST_FUNCTIONS: ReadonlySet<string> = new Set(['describe', 'it', 'test']);

/**
 * Every `describe` / `it` / `test` title in a spec file, as written in the source. A template
 * literal keeps its placeholders verbatim (`two owners (${RUNS} runs)`), and an `it.each` title
 * keeps its `%s`: a doc that names a spec lists a literal part of the title, which then matches.
 */
export function specTitles(source: string, fileName = 'spec.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const titles: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTestFunction(node.expression)) {
      const title = node.arguments[0] && titleText(node.arguments[0], file);
      if (title !== undefined) titles.push(title);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return titles;
}

/** `it`, `it.only`, `describe.each(table)` (the callee of the call that takes the title) … */
function isTestFunction(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return TEST_FUNCTIONS.has(callee.text);
  if (ts.isPropertyAccessExpression(callee)) return isTestFunction(callee.expression);
  if (ts.isCallExpression(callee)) return isTestFunction(callee.expression);
  return false;
}

function titleText(node: ts.Expression, file: ts.SourceFile): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return (
      node.head.text +
      node.templateSpans.map((span) => `\${${span.expression.getText(file)}}${span.literal.text}`).join('')
    );
  }
  return undefined;
}
