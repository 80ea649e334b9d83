import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

// Event data is typed by its event's `type` (`AccordEnvelope`, `EventDataOf`): a `switch
// (event.type)` narrows `event.data`, so code never needs to cast it. A cast would silence the
// compiler exactly where an event's shape changes. This scans every non-spec .ts file of libs/ and
// apps/ (specs may build malformed events on purpose) and lists each cast of event data it finds:
//   - `x as SomethingData` (also inside a wider type: `as EventEnvelope<string, SomethingData>[]`);
//   - `x as InvitationEvent` and the other event, reference and link types of the contracts;
//   - `data as unknown as T`: a double cast of event data.
const root = join(__dirname, '..', '..');
const contracts = join(root, 'libs', 'platform', 'contracts', 'src');

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

/** The event types of the contracts that event data might be cast to (read from their events.ts files). */
function eventTypeNames(): ReadonlySet<string> {
  const contexts = readdirSync(contracts, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const files = [
    join(contracts, 'events.ts'),
    ...contexts.map((entry) => join(contracts, entry.name, 'events.ts')).filter(existsSync),
  ];
  const names = files.flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]!),
  );
  return new Set(names.filter((name) => /(Data|Event|Ref|Link|Recipient)$/.test(name) || name === 'EventDataOf'));
}

const EVENT_TYPES = eventTypeNames();

/** Names a cast's target type refers to (`EventEnvelope<string, XData>[]` refers to EventEnvelope and XData). */
function referencedNames(type: ts.TypeNode): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) names.push(node.typeName.getText());
    node.forEachChild(visit);
  };
  visit(type);
  return names;
}

const isEventDataName = (name: string): boolean => /Data$/.test(name) || EVENT_TYPES.has(name.replace(/^.*\./, ''));

/** Casts of event data in one file's `code`, as `path:line  text`. */
function castsIn(path: string, code = readFileSync(path, 'utf8')): string[] {
  const source = ts.createSourceFile(path, code, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const inner = ts.isParenthesizedExpression(node.expression) ? node.expression.expression : node.expression;
      const doubleCast =
        (ts.isAsExpression(inner) || ts.isTypeAssertionExpression(inner)) &&
        inner.type.kind === ts.SyntaxKind.UnknownKeyword;
      if (
        referencedNames(node.type).some(isEventDataName) ||
        (doubleCast && /\bdata\b/.test(inner.expression.getText(source)))
      ) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${relative(root, path)}:${line + 1}  ${node.getText(source).replace(/\s+/g, ' ').slice(0, 140)}`);
      }
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe('event data is never cast', () => {
  it("knows the contracts' event types (the scan below would be blind without them)", () => {
    expect([...EVENT_TYPES]).toEqual(
      expect.arrayContaining(['MemberJoinedData', 'InvitationEvent', 'InvitationRef', 'EventDataOf']),
    );
  });

  it('flags the forms it looks for, and nothing else', () => {
    // Parsed from text only: nothing is written into the repository.
    const scan = (code: string) => castsIn(join(root, 'libs', 'example.ts'), code);
    expect(scan('const d = event.data as MemberJoinedData;')).toHaveLength(1);
    expect(scan('const all = events as EventEnvelope<string, NotificationFailedData>[];')).toHaveLength(1);
    expect(scan('const e = { type, data } as InvitationEvent;')).toHaveLength(1);
    expect(scan('const d = event.data as unknown as Whatever;')).toHaveLength(1);
    expect(
      scan("const x = ['a'] as const; const y = value as unknown as string; const z = raw as { tag: string };"),
    ).toHaveLength(0);
  });

  it('in any non-spec file of libs/ and apps/', () => {
    const casts = [...sourceFiles(join(root, 'libs')), ...sourceFiles(join(root, 'apps'))].flatMap((path) =>
      castsIn(path),
    );
    if (casts.length > 0) {
      const files = [...new Set(casts.map((c) => c.split(':')[0]))];
      throw new Error(
        `${casts.length} cast(s) of event data in ${files.length} file(s); narrow on event.type instead ` +
          `(AccordEnvelope / asAccordEnvelope / EventDataOf):\n  ${files.join('\n  ')}\n\n  ${casts.join('\n  ')}`,
      );
    }
  });
});
