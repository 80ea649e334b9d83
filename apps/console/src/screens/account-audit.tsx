import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { Field } from '../components/field';
import { ProblemBanner } from '../components/problem-banner';
import { useConsole } from '../console-context';
import {
  AUDIT_EVENT_TYPES,
  NO_FILTER,
  auditExportQuery,
  auditLogQuery,
  eventTypeLabel,
  exportFileName,
  type AuditEntry,
  type AuditFilter,
  type AuditPage,
} from '../logic/audit-log';
import { formatInstant } from '../logic/api-tokens';

const FILTER_FIELDS = ['type', 'actorId', 'from', 'to'];

/**
 * The account's audit log, for its owners: every change as a sentence, newest first, filtered by
 * event type, who did it and when; older entries page by page; the signed export as a file.
 */
export function AuditLog({ accountId }: { accountId: string }) {
  const { api } = useConsole();
  const base = `/v1/accounts/${encodeURIComponent(accountId)}`;

  const [draft, setDraft] = useState<AuditFilter>(NO_FILTER);
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [members, setMembers] = useState<{ userId: string; email: string }[]>([]);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState('');
  const [exportError, setExportError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api
      .all<{ userId: string; email: string }>(`${base}/members`)
      .then((all) => live && setMembers(all))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, base]);

  const load = useCallback(
    async (after?: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await api.get<AuditPage>(`${base}/audit-log`, auditLogQuery(filter, after));
        setEntries((before) => (after ? [...before, ...page.entries] : page.entries));
        setNext(page.next);
      } catch (e) {
        if (!after) setEntries([]);
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [api, base, filter],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ ...draft });
  };

  const clear = () => {
    setDraft(NO_FILTER);
    setFilter(NO_FILTER);
  };

  const exportLog = async () => {
    setExporting(true);
    setExportError(null);
    setExportNote('');
    try {
      const { blob, disposition } = await api.download(`${base}/audit-log/export`, auditExportQuery(filter));
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(disposition, accountId);
      document.body.append(link);
      link.click();
      link.remove();
      // The click has handed the file to the browser; the URL can go once the event loop moves on.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setExportNote(`Downloaded ${link.download} (signed JSON Lines; check it with accord audit verify).`);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };

  const set = (field: keyof AuditFilter) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const fieldless =
    error instanceof ApiError && !FILTER_FIELDS.some((f) => error.messageFor(f) !== undefined) ? error : null;

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Audit log</h1>
      <p>Every change to this account, newest first. Only owners see it.</p>

      <form onSubmit={apply} aria-label="Filter the audit log" className="panel filters" noValidate>
        <Field label="Event" name="type" error={error}>
          <select value={draft.type} onChange={set('type')}>
            <option value="">Any event</option>
            {AUDIT_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {eventTypeLabel(t)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="By" name="actorId" error={error}>
          <select value={draft.actorId} onChange={set('actorId')}>
            <option value="">Anyone</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.email}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From" name="from" error={error}>
          <input type="date" value={draft.from} onChange={set('from')} />
        </Field>
        <Field label="To (included)" name="to" error={error}>
          <input type="date" value={draft.to} onChange={set('to')} />
        </Field>
        <p className="actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={clear}>
            Clear
          </button>
        </p>
      </form>

      <p className="actions">
        <button type="button" className="secondary" disabled={exporting} onClick={() => void exportLog()}>
          {exporting ? 'Exporting…' : 'Export'}
        </button>
        <span className="hint">The whole log{filter.from || filter.to ? ' in the chosen dates' : ''}, signed.</span>
      </p>
      <p role="status">{exportNote}</p>
      <ProblemBanner error={exportError} />

      <ProblemBanner error={fieldless} />
      {!loading && !error && entries.length === 0 && <p>No entries match.</p>}
      {entries.length > 0 && (
        <ol className="audit-entries" aria-label="Audit log entries">
          {entries.map((entry) => (
            <li key={entry.id}>
              <p className="sentence">{entry.sentence}</p>
              <p className="meta">
                <time dateTime={entry.occurredAt}>{formatInstant(entry.occurredAt)}</time> ·{' '}
                {eventTypeLabel(entry.type)}
                {entry.actor.via === 'api_token' ? ' · with an API token' : ''}
                {entry.actor.via === 'system' ? ' · by Accord' : ''}
              </p>
            </li>
          ))}
        </ol>
      )}
      {next && (
        <button type="button" className="secondary" disabled={loading} onClick={() => void load(next)}>
          Load more
        </button>
      )}
      {loading && <p role="status">Loading…</p>}
    </section>
  );
}
