import { subjectMap, subjects, type CommandSubject, type QuerySubject, type Subject, type SubjectMap } from './index';

/** True when A and B are the same type; the type-level checks below fail `tsc`, the others Jest. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const wireStrings: string[] = Object.values(subjects).flatMap((group) => Object.values(group));

describe('SubjectMap', () => {
  it('has an entry for every subject and none for a subject that does not exist', () => {
    expect(Object.keys(subjectMap).sort()).toEqual([...wireStrings].sort());
    const everySubjectMapped: Equal<Exclude<Subject, keyof SubjectMap>, never> = true;
    const noStrayEntry: Equal<Exclude<keyof SubjectMap, Subject>, never> = true;
    expect([everySubjectMapped, noStrayEntry]).toEqual([true, true]);
  });

  it('maps every accord.cmd subject as a command and every accord.query subject (and the authz check) as a query', () => {
    for (const [subject, { kind }] of Object.entries(subjectMap)) {
      const expected = subject.startsWith('accord.cmd.')
        ? 'command'
        : subject.startsWith('accord.health.')
          ? 'health'
          : 'query';
      expect({ subject, kind }).toEqual({ subject, kind: expected });
    }
    const commands: Equal<CommandSubject, Extract<Subject, `accord.cmd.${string}`>> = true;
    const queries: Equal<QuerySubject, Extract<Subject, `accord.query.${string}`> | typeof subjects.authz.check> = true;
    expect([commands, queries]).toEqual([true, true]);
  });

  it('gives every subject its own wire string', () => {
    expect(new Set(wireStrings).size).toBe(wireStrings.length);
    for (const subject of wireStrings)
      expect(subject).toMatch(/^accord\.(cmd|query|authz|health)\.[a-z-]+(\.[a-z-]+)?$/);
  });
});
