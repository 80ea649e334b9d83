import { useEffect, useId, useState } from 'react';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import {
  combinationText,
  combinationsOf,
  grantableSections,
  levelLabel,
  parseScopeList,
  parseSectionPermission,
  sectionLabel,
  type Level,
  type PermissionCatalog,
} from '../logic/permissions';

/** The permission catalog (GET /v1/permissions), asked once per page load: it changes only with a release. */
let catalogRequest: Promise<PermissionCatalog> | null = null;

export function usePermissionCatalog(api: ApiClient): { catalog: PermissionCatalog | null; error: unknown } {
  const [catalog, setCatalog] = useState<PermissionCatalog | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    catalogRequest ??= api.get<PermissionCatalog>('/v1/permissions');
    catalogRequest.then(
      (c) => live && setCatalog(c),
      (e: unknown) => {
        catalogRequest = null;
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [api]);
  return { catalog, error };
}

/**
 * Permissions beside a role: a checkbox per section a grant may name, with its level, and free-text
 * SBS scopes (`account-api:query:*`). A chosen section that brings related sections says so as it is
 * chosen. `value` is the permission list the API takes; the API's message for `permissions` shows
 * under the group.
 */
export function PermissionPicker({
  catalog,
  value,
  onChange,
  error,
  disabled,
  legend = 'Permissions',
}: {
  catalog: PermissionCatalog;
  value: readonly string[];
  onChange: (next: string[]) => void;
  error?: unknown;
  disabled?: boolean;
  legend?: string;
}) {
  const id = useId();
  const sections = grantableSections(catalog);
  const chosen = new Map<string, Level>();
  const scopes: string[] = [];
  for (const permission of value) {
    const choice = parseSectionPermission(permission);
    if (choice) chosen.set(choice.section, choice.level);
    else scopes.push(permission);
  }
  const [scopeText, setScopeText] = useState(scopes.join('\n'));

  const emit = (nextChosen: Map<string, Level>, nextScopes: readonly string[]) =>
    onChange([...[...nextChosen].map(([s, l]) => `${s}:${l}`), ...nextScopes]);

  const toggle = (section: string, on: boolean, level: Level) => {
    const next = new Map(chosen);
    if (on) next.set(section, level);
    else next.delete(section);
    emit(next, scopes);
  };

  const message = error instanceof ApiError ? error.messageFor('permissions') : undefined;
  const combinations = combinationsOf(catalog, value);

  return (
    <fieldset className="permissions" disabled={disabled} aria-describedby={message ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <ul className="permission-list">
        {sections.map((section) => {
          const level = chosen.get(section.name);
          const defaultLevel = section.grantableLevels[0] ?? 'read';
          const label = sectionLabel(section.name);
          return (
            <li key={section.name}>
              <label>
                <input
                  type="checkbox"
                  checked={level !== undefined}
                  onChange={(e) => toggle(section.name, e.target.checked, level ?? defaultLevel)}
                />{' '}
                {label}
              </label>
              {section.grantableLevels.length > 1 ? (
                <select
                  aria-label={`${label} level`}
                  value={level ?? defaultLevel}
                  disabled={level === undefined}
                  onChange={(e) => toggle(section.name, true, e.target.value as Level)}
                >
                  {section.grantableLevels.map((l) => (
                    <option key={l} value={l}>
                      {levelLabel(l)}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="hint"> {levelLabel(defaultLevel)}</span>
              )}
            </li>
          );
        })}
      </ul>
      <div aria-live="polite" className="combinations">
        {combinations.map((c) => (
          <p key={c.section} className="hint">
            {combinationText(c)}
          </p>
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-scopes`}>SBS scopes</label>
        <textarea
          id={`${id}-scopes`}
          rows={2}
          value={scopeText}
          aria-describedby={`${id}-scopes-hint`}
          onChange={(e) => {
            setScopeText(e.target.value);
            emit(chosen, parseScopeList(e.target.value));
          }}
        />
        <small id={`${id}-scopes-hint`} className="hint">
          service:action:resource, e.g. account-api:query:* — one or more, separated by commas or lines
        </small>
      </div>
      {message && (
        <small id={`${id}-error`} className="field-error">
          {message}
        </small>
      )}
    </fieldset>
  );
}
