import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Page } from '../api/client';
import { ApiError } from '../api/problem';
import { Field } from '../components/field';
import { ProblemBanner } from '../components/problem-banner';
import { SecretOnce } from '../components/secret-once';
import { useConsole } from '../console-context';
import {
  defaultExpiry,
  expiresAtFor,
  expiryOptions,
  formatInstant,
  heldPermissions,
  permissionsLabel,
  permissionsToSend,
  tokenStatus,
  type ExpiryChoice,
  type SectionLevel,
  type TokenIssued,
  type TokenView,
} from '../logic/api-tokens';
import { useSubmission } from '../components/use-submission';

interface Me {
  readonly userId: string;
  readonly role: string;
  readonly held: string[] | null;
}

interface MemberView {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
  readonly permissions: readonly string[];
}

type StatusFilter = '' | 'active' | 'revoked' | 'expired';

const FORM_FIELDS = ['name', 'permissions', 'expiresAt'];

/**
 * API tokens: create one with a name, some or all of my permissions and an expiry; its secret is
 * shown once. The list is the account's tokens for an owner, else my own; a token can be revoked
 * or rotated (a new secret, shown once, the old one working for a grace period or not at all).
 */
export function ApiTokens({ accountId }: { accountId: string }) {
  const { api } = useConsole();
  const base = `/v1/accounts/${encodeURIComponent(accountId)}`;

  const [me, setMe] = useState<Me | null>(null);
  const [emails, setEmails] = useState<ReadonlyMap<string, string>>(new Map());
  const [maxLifetimeDays, setMaxLifetimeDays] = useState<number | null>(null);

  const [tokens, setTokens] = useState<TokenView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusFilter>('');
  const [loading, setLoading] = useState(true);
  const [listError, setListError] = useState<unknown>(null);

  const [secret, setSecret] = useState<{ title: string; token: string } | null>(null);
  const [notice, setNotice] = useState('');

  // Who I am in this account and what I hold: the permissions a new token may be given.
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const { userId } = await api.get<{ userId: string }>('/v1/me');
        const mine = await api.get<MemberView>(`${base}/members/${encodeURIComponent(userId)}`);
        let held: string[] | null = null;
        try {
          const access = await api.get<{ role: string; sections: Record<string, SectionLevel> }>(
            `${base}/members/${encodeURIComponent(mine.userId)}/access`,
          );
          held = heldPermissions({ role: access.role, sections: access.sections, granted: mine.permissions });
        } catch {
          held = null;
        }
        if (live) setMe({ userId: mine.userId, role: mine.role, held });
        if (mine.role === 'owner') {
          const [members, policy] = await Promise.all([
            api.all<MemberView>(`${base}/members`),
            api.get<{ maxLifetimeDays: number | null }>(`${base}/token-policy`).catch(() => null),
          ]);
          if (!live) return;
          setEmails(new Map(members.map((m) => [m.userId, m.email])));
          setMaxLifetimeDays(policy?.maxLifetimeDays ?? null);
        }
      } catch {
        // Without the member list the form still works: permissions can be typed, the API checks them.
      }
    })();
    return () => {
      live = false;
    };
  }, [api, base]);

  const load = useCallback(
    async (options: { after?: string | null; minPosition?: number } = {}) => {
      setLoading(true);
      setListError(null);
      try {
        const page = await api.get<Page<TokenView>>(`${base}/tokens`, {
          limit: 50,
          status: status || undefined,
          cursor: options.after ?? undefined,
          minPosition: options.minPosition,
        });
        setTokens((before) => (options.after ? [...before, ...page.items] : page.items));
        setNext(page.next);
      } catch (e) {
        setListError(e);
      } finally {
        setLoading(false);
      }
    },
    [api, base, status],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const onIssued = (issued: TokenIssued, position: number) => {
    setSecret({ title: `Your new token “${issued.name}”`, token: issued.token });
    setNotice('');
    void load({ minPosition: position });
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">API tokens</h1>
      <p>
        A token lets a script act in this account as you, with your permissions or fewer — never more than you hold
        right now. Use it as <code>Authorization: Bearer acc_…</code>.
      </p>

      {secret && <SecretOnce title={secret.title} secret={secret.token} onDone={() => setSecret(null)} />}
      <p role="status" className="status-line">
        {notice}
      </p>

      <NewTokenForm base={base} me={me} maxLifetimeDays={maxLifetimeDays} onIssued={onIssued} />

      <h2 id="token-list-title">Tokens</h2>
      <div className="field inline-field">
        <label htmlFor="token-status-filter">Show</label>
        <select id="token-status-filter" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
          <option value="">All tokens</option>
          <option value="active">Active</option>
          <option value="expired">Expired</option>
          <option value="revoked">Revoked</option>
        </select>
      </div>
      <ProblemBanner error={listError} />
      {!loading && tokens.length === 0 && !listError && <p>No tokens yet.</p>}
      {tokens.length > 0 && (
        <TokenTable
          base={base}
          tokens={tokens}
          me={me}
          emails={emails}
          onRevoked={(token, position) => {
            setNotice(`Token “${token.name}” revoked.`);
            void load({ minPosition: position });
          }}
          onRotated={(token, secretValue, position) => {
            setSecret({ title: `New secret of “${token.name}”`, token: secretValue });
            setNotice('');
            void load({ minPosition: position });
          }}
        />
      )}
      {next && (
        <button type="button" className="secondary" disabled={loading} onClick={() => void load({ after: next })}>
          Load more
        </button>
      )}
      {loading && <p role="status">Loading…</p>}
    </section>
  );
}

function NewTokenForm({
  base,
  me,
  maxLifetimeDays,
  onIssued,
}: {
  base: string;
  me: Me | null;
  maxLifetimeDays: number | null;
  onIssued: (issued: TokenIssued, position: number) => void;
}) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'all' | 'some'>('all');
  const [ticked, setTicked] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(() => defaultExpiry(maxLifetimeDays));
  const [date, setDate] = useState('');
  const { busy, error, setError, run } = useSubmission();

  const options = expiryOptions(maxLifetimeDays);
  useEffect(() => {
    if (!expiryOptions(maxLifetimeDays).some((o) => o.value === expiry)) setExpiry(defaultExpiry(maxLifetimeDays));
  }, [maxLifetimeDays, expiry]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const expiresAt = expiresAtFor(expiry, new Date(), date);
    if (expiresAt === null) {
      setError(
        new ApiError({
          status: 400,
          title: 'Invalid request',
          detail: 'Choose the date the token expires.',
          code: 'request.invalid',
          field: 'expiresAt',
          errors: [{ field: 'expiresAt', message: 'Choose the date the token expires.' }],
        }),
      );
      return;
    }
    const permissions = permissionsToSend(mode, ticked, typed);
    await run(async () => {
      const issued = await api.post<TokenIssued & { position: number }>(`${base}/tokens`, {
        name,
        ...(permissions ? { permissions } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      });
      setName('');
      setTicked([]);
      setTyped('');
      onIssued(issued, issued.position);
    });
  };

  const fieldless =
    error instanceof ApiError && !FORM_FIELDS.some((f) => error.messageFor(f) !== undefined) ? error : null;
  const held = me?.held ?? null;

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="new-token-title" className="panel" noValidate>
      <h2 id="new-token-title">New API token</h2>
      <Field label="Name" name="name" error={error} hint="What the token is for, e.g. CI deploys">
        <input type="text" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>

      <fieldset className="permissions">
        <legend>Permissions</legend>
        <label className="choice">
          <input type="radio" name="permission-mode" checked={mode === 'all'} onChange={() => setMode('all')} />
          All of mine (the token follows my role as it changes)
        </label>
        <label className="choice">
          <input type="radio" name="permission-mode" checked={mode === 'some'} onChange={() => setMode('some')} />
          Only the ones I choose
        </label>
        {mode === 'some' && (
          <>
            {held && held.length > 0 && (
              <ul className="checks" aria-label="Permissions I hold">
                {held.map((p) => (
                  <li key={p}>
                    <label className="choice">
                      <input
                        type="checkbox"
                        checked={ticked.includes(p)}
                        onChange={(e) => setTicked((t) => (e.target.checked ? [...t, p] : t.filter((x) => x !== p)))}
                      />
                      {p}
                    </label>
                  </li>
                ))}
              </ul>
            )}
            <Field
              label={held ? 'Other permissions' : 'Permissions'}
              name="permissions"
              error={error}
              hint="Comma-separated, e.g. vps:read, storage:get:bucket — never more than you hold"
            >
              <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} />
            </Field>
          </>
        )}
      </fieldset>

      <Field
        label="Expires"
        name="expiresAt"
        error={expiry === 'custom' ? undefined : error}
        hint={maxLifetimeDays !== null ? `This account’s tokens live ${maxLifetimeDays} days at most.` : undefined}
      >
        <select value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      {expiry === 'custom' && (
        <Field
          label="Expiry date"
          name="expiresAt"
          error={error}
          hint="The token works until the end of that day (UTC)."
        >
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </Field>
      )}
      <button type="submit" disabled={busy}>
        Create token
      </button>
      <ProblemBanner error={fieldless} />
    </form>
  );
}

function TokenTable({
  base,
  tokens,
  me,
  emails,
  onRevoked,
  onRotated,
}: {
  base: string;
  tokens: readonly TokenView[];
  me: Me | null;
  emails: ReadonlyMap<string, string>;
  onRevoked: (token: TokenView, position: number) => void;
  onRotated: (token: TokenView, secret: string, position: number) => void;
}) {
  const { api, email } = useConsole();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<{ token: TokenView; action: 'revoke' | 'rotate' } | null>(null);
  const [grace, setGrace] = useState('0');
  const { busy, error, setError, run } = useSubmission();
  const now = new Date();
  const showUser = tokens.some((t) => me !== null && t.userId !== me.userId);

  const ask = (token: TokenView, action: 'revoke' | 'rotate') => {
    setPending({ token, action });
    setGrace('0');
    setError(null);
    dialog.current?.showModal();
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!pending) return;
    const path = `${base}/tokens/${encodeURIComponent(pending.token.id)}`;
    await run(async () => {
      if (pending.action === 'revoke') {
        const answer = await api.delete<{ position: number }>(path);
        dialog.current?.close();
        onRevoked(pending.token, answer.position);
      } else {
        const answer = await api.post<{ token: string; position: number }>(`${path}/rotate`, {
          graceHours: Number(grace),
        });
        dialog.current?.close();
        onRotated(pending.token, answer.token, answer.position);
      }
    });
  };

  const userOf = (t: TokenView) =>
    me && t.userId === me.userId ? (email ?? 'You') : (emails.get(t.userId) ?? t.userId);

  return (
    <>
      <div className="table-wrap">
        <table aria-labelledby="token-list-title" className="tokens-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              {showUser && <th scope="col">User</th>}
              <th scope="col">Prefix</th>
              <th scope="col">Permissions</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => {
              const state = tokenStatus(t, now);
              return (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  {showUser && <td>{userOf(t)}</td>}
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{permissionsLabel(t.permissions)}</td>
                  <td>{formatInstant(t.expiresAt, 'Never')}</td>
                  <td>{formatInstant(t.lastUsedAt, 'Never')}</td>
                  <td>{state}</td>
                  <td className="row-actions">
                    {state === 'Active' && (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Rotate ${t.name}`}
                          onClick={() => ask(t, 'rotate')}
                        >
                          Rotate
                        </button>
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Revoke ${t.name}`}
                          onClick={() => ask(t, 'revoke')}
                        >
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <dialog ref={dialog} aria-labelledby="token-dialog-title" onClose={() => setPending(null)}>
        {pending && (
          <form onSubmit={(e) => void confirm(e)}>
            <h2 id="token-dialog-title">
              {pending.action === 'revoke' ? `Revoke “${pending.token.name}”?` : `Rotate “${pending.token.name}”?`}
            </h2>
            {pending.action === 'revoke' ? (
              <p>Scripts using it stop working at once. This cannot be undone.</p>
            ) : (
              <>
                <p>The token gets a new secret, shown once. Choose how long the current secret keeps working.</p>
                <Field label="Current secret keeps working for" name="graceHours" error={error}>
                  <select value={grace} onChange={(e) => setGrace(e.target.value)}>
                    <option value="0">No time: it stops now</option>
                    <option value="1">1 hour</option>
                    <option value="24">24 hours</option>
                  </select>
                </Field>
              </>
            )}
            <ProblemBanner error={error} />
            <p className="actions">
              <button type="submit" className={pending.action === 'revoke' ? 'danger' : undefined} disabled={busy}>
                {pending.action === 'revoke' ? 'Revoke token' : 'Rotate token'}
              </button>
              <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
                Cancel
              </button>
            </p>
          </form>
        )}
      </dialog>
    </>
  );
}
