/** RFC 9457 problem details as the gateway sends them (one vocabulary, mapped once). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly code: string;
  readonly field?: string;
  readonly errors?: readonly FieldProblem[];
}

/** A refused or failed API call: what the screen shows, field by field when the API names fields. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }

  /** The message for one form field, when the API named it (`recipients[2]` belongs to `recipients`). */
  messageFor(field: string): string | undefined {
    const named = (this.problem.errors ?? []).find((e) => e.field === field || e.field.startsWith(`${field}[`));
    if (named) return named.message;
    return this.problem.field === field ? this.problem.detail : undefined;
  }
}

/** Reads any error body into a Problem: problem+json as is, anything else by its status alone. */
export function problemOf(status: number, body: unknown): Problem {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.length > 0 ? v : fallback);
  const errors = Array.isArray(b['errors'])
    ? (b['errors'] as unknown[]).flatMap((e) => {
        const x = e as Record<string, unknown>;
        return typeof x?.['field'] === 'string' && typeof x['message'] === 'string'
          ? [{ field: x['field'], message: x['message'] }]
          : [];
      })
    : [];
  return {
    status,
    title: text(b['title'], `HTTP ${status}`),
    detail: text(b['detail'], text(b['title'], 'The request could not be completed.')),
    code: text(b['code'], 'unknown'),
    ...(typeof b['field'] === 'string' ? { field: b['field'] } : {}),
    ...(errors.length > 0 ? { errors } : {}),
  };
}
