import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// Rule 13 of issue 8: every string any DTO accepts has a documented maximum length, every list a
// maximum size — enforced by class-validator AND shown in the OpenAPI document. A DTO added
// without them fails here.
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';
const STRING_CONSTRAINTS = new Set(['isString', 'isUuid', 'isEmail', 'isDateString', 'matches']);
const LIST_CONSTRAINTS = new Set(['isArray', 'isRecipientList']);

function dtoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dtoFiles(path);
    return name.endsWith('.dto.ts') ? [path] : [];
  });
}

async function inputDtos(): Promise<{ readonly name: string; readonly target: new () => object }[]> {
  const storage = getMetadataStorage();
  const modules = await Promise.all(
    dtoFiles(join(__dirname, '..')).map((file) => import(file) as Promise<Record<string, unknown>>),
  );
  const classes = modules.flatMap((exported) =>
    Object.entries(exported).filter(([, value]) => typeof value === 'function'),
  ) as [string, new () => object][];
  return classes
    .filter(([, target]) => storage.getTargetValidationMetadatas(target, '', true, false).length > 0)
    .map(([name, target]) => ({ name, target }));
}

function constraintsOf(target: new () => object): Map<string, ValidationMetadata[]> {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  }
  return byProperty;
}

const named = (metadata: ValidationMetadata) => metadata.name ?? metadata.type;
const maxOf = (metadata: ValidationMetadata): number | undefined =>
  named(metadata) === 'maxLength'
    ? Number(metadata.constraints[0])
    : named(metadata) === 'isLength' && metadata.constraints[1] !== undefined
      ? Number(metadata.constraints[1])
      : undefined;

describe('DTO limits (rule 13)', () => {
  let dtos: Awaited<ReturnType<typeof inputDtos>> = [];
  beforeAll(async () => {
    dtos = await inputDtos();
  });

  it('finds the input DTOs', () => {
    expect(dtos.map((dto) => dto.name)).toEqual(
      expect.arrayContaining([
        'CreateAccountDto',
        'ShareAccessDto',
        'ChangeMemberDto',
        'IssueTokenDto',
        'AuthzCheckDto',
        'ScopeDto',
      ]),
    );
  });

  it('bounds every string property (MaxLength) and documents the bound (ApiProperty maxLength)', () => {
    const missing: string[] = [];
    for (const { name, target } of dtos) {
      for (const [property, metadata] of constraintsOf(target)) {
        const single = metadata.filter((m) => !m.each);
        const each = metadata.filter((m) => m.each);
        const doc = (Reflect.getMetadata(SWAGGER_PROPERTY, target.prototype, property) ?? {}) as {
          maxLength?: number;
          maxItems?: number;
          enum?: unknown;
        };
        const isList = single.some((m) => LIST_CONSTRAINTS.has(named(m))) || each.length > 0;
        if (isList) {
          const bounded = single.some((m) => named(m) === 'arrayMaxSize' || named(m) === 'isRecipientList');
          if (!bounded) missing.push(`${name}.${property}: a list without ArrayMaxSize`);
          if (doc.maxItems === undefined)
            missing.push(`${name}.${property}: a list without maxItems in its ApiProperty`);
          if (each.some((m) => STRING_CONSTRAINTS.has(named(m))) && !each.some((m) => maxOf(m) !== undefined))
            missing.push(`${name}.${property}: list entries without MaxLength`);
          if (
            (each.some((m) => STRING_CONSTRAINTS.has(named(m))) ||
              single.some((m) => named(m) === 'isRecipientList')) &&
            doc.maxLength === undefined
          ) {
            missing.push(`${name}.${property}: list entries without maxLength in its ApiProperty`);
          }
          continue;
        }
        if (!single.some((m) => STRING_CONSTRAINTS.has(named(m)))) continue;
        const max = single.map(maxOf).find((value) => value !== undefined);
        if (max === undefined) missing.push(`${name}.${property}: a string without MaxLength`);
        else if (doc.maxLength !== max)
          missing.push(`${name}.${property}: ApiProperty maxLength ${doc.maxLength} ≠ MaxLength ${max}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('bounds enum-only strings by their ApiProperty enum', () => {
    const missing: string[] = [];
    for (const { name, target } of dtos) {
      for (const [property, metadata] of constraintsOf(target)) {
        if (!metadata.some((m) => named(m) === 'isIn')) continue;
        const doc = (Reflect.getMetadata(SWAGGER_PROPERTY, target.prototype, property) ?? {}) as { enum?: unknown };
        if (doc.enum === undefined) missing.push(`${name}.${property}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
