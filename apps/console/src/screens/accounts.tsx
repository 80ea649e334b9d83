import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { Field } from '../components/field';
import { ConfirmPrompt, Dialog } from '../components/dialog';
import { AnswerButtons, DeclinePrompt, useInvitationAnswers } from '../components/invitation-answers';
import { AcceptedNotice } from '../components/invitations-parts';
import { ProblemBanner } from '../components/problem-banner';
import { useConsole } from '../console-context';
import {
  NAME_MAX,
  accountNameProblem,
  sharedAccountLabel,
  splitAccounts,
  type AccountView,
} from '../logic/accounts-view';
import { roleLabel, shareNotice, type MyInvitation } from '../logic/invitation-view';
import { hrefOf } from '../logic/route';
import { useSubmission } from '../components/use-submission';

/** A refusal made here, in the API's shape, so the form shows it by field like the API's own. */
const fieldProblem = (field: string, detail: string) =>
  new ApiError({ status: 400, title: 'Invalid request', detail, code: 'request.invalid', field });

/**
 * The console's home: the notice of each new share waiting for an answer, the accounts the signed-in
 * person owns, and those shared with them ("Shared with me": owner, role, their own name for it,
 * whether they may create environments) with renaming and leaving.
 */
export function Accounts() {
  const { api, email } = useConsole();
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(
    async (minPosition?: number) => {
      try {
        setAccounts(await api.all<AccountView>('/v1/accounts', { minPosition }));
        setLoadError(null);
      } catch (error) {
        setLoadError(error);
      }
    },
    [api],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const { mine, shared } = splitAccounts(accounts ?? [], email);

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Accounts</h1>
      <ShareNotices onAnswered={(position) => void load(position)} />
      {status && (
        <p className="notice" role="status">
          {status}
        </p>
      )}
      <ProblemBanner error={loadError} />

      <section aria-labelledby="my-accounts-title">
        <h2 id="my-accounts-title">My accounts</h2>
        {accounts === null && !loadError ? (
          <p role="status">Loading…</p>
        ) : mine.length === 0 ? (
          <p>You do not own an account yet. Create one below.</p>
        ) : (
          <ul className="account-list">
            {mine.map((a) => (
              <li key={a.id}>
                <a href={hrefOf({ screen: 'account', accountId: a.id, section: 'users' })}>{a.name}</a>
              </li>
            ))}
          </ul>
        )}
        <CreateAccount
          onCreated={(name, position) => {
            setStatus(`Account ${name} created.`);
            void load(position);
          }}
        />
      </section>

      <section aria-labelledby="shared-title">
        <h2 id="shared-title">Shared with me</h2>
        {accounts !== null && shared.length === 0 ? (
          <p>No one has shared an account with you yet. Invitations you accept appear here.</p>
        ) : accounts !== null ? (
          <SharedTable
            accounts={shared}
            onChanged={(message, position) => {
              setStatus(message);
              void load(position);
            }}
          />
        ) : null}
      </section>
    </section>
  );
}

function CreateAccount({ onCreated }: { onCreated: (name: string, position: number) => void }) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useSubmission();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = accountNameProblem(name);
    if (problem) {
      setError(fieldProblem('name', problem));
      return;
    }
    await run(async () => {
      const created = await api.post<{ id: string; name: string; position: number }>('/v1/accounts', {
        name: name.trim(),
      });
      setName('');
      onCreated(created.name, created.position);
    });
  };

  return (
    <form onSubmit={submit} aria-labelledby="create-account-title" className="inline-form" noValidate>
      <h3 id="create-account-title">Create an account</h3>
      <Field label="Account name" name="name" error={error} hint="You become its owner.">
        <input type="text" maxLength={NAME_MAX} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <button type="submit" disabled={busy}>
        Create account
      </button>
      {error instanceof ApiError && !error.messageFor('name') && <ProblemBanner error={error} />}
    </form>
  );
}

function SharedTable({
  accounts,
  onChanged,
}: {
  accounts: AccountView[];
  onChanged: (message: string, position: number) => void;
}) {
  const { api } = useConsole();
  const [renaming, setRenaming] = useState<AccountView | null>(null);
  const [leaving, setLeaving] = useState<AccountView | null>(null);
  const [displayName, setDisplayName] = useState('');
  const { busy, error, setError, run } = useSubmission();

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    if (displayName.trim().length > NAME_MAX) {
      setError(fieldProblem('displayName', `The name can have at most ${NAME_MAX} characters.`));
      return;
    }
    await run(async () => {
      const result = await api.put<{ position: number }>(
        `/v1/accounts/${encodeURIComponent(renaming.id)}/display-name`,
        { displayName: displayName.trim() },
      );
      const account = renaming;
      setRenaming(null);
      onChanged(
        displayName.trim()
          ? `You now call ${account.name} “${displayName.trim()}”.`
          : `Your name for ${account.name} was cleared.`,
        result.position,
      );
    });
  };

  const leave = async () => {
    if (!leaving) return;
    await run(async () => {
      const result = await api.post<{ position: number }>(`/v1/accounts/${encodeURIComponent(leaving.id)}/leave`);
      const account = leaving;
      setLeaving(null);
      onChanged(`You left ${account.name}.`, result.position);
    });
  };

  return (
    <>
      <div className="table-wrap">
        <table className="shared-accounts">
          <caption className="visually-hidden">Accounts shared with me</caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Owner</th>
              <th scope="col">My role</th>
              <th scope="col">May create environments</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>
                  <a href={hrefOf({ screen: 'account', accountId: a.id, section: 'users' })}>{a.name}</a>
                </td>
                <td className="email">{sharedAccountLabel(a)}</td>
                <td>{roleLabel(a.role)}</td>
                <td>{a.mayCreateEnvironments ? 'Yes' : 'No'}</td>
                <td>
                  <div className="actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => {
                        setError(null);
                        setDisplayName(a.displayName ?? '');
                        setRenaming(a);
                      }}
                    >
                      Edit name<span className="visually-hidden"> for {a.name}</span>
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        setError(null);
                        setLeaving(a);
                      }}
                    >
                      Leave<span className="visually-hidden"> {a.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Dialog
        open={renaming !== null}
        title={`Your name for ${renaming?.name ?? 'the account'}`}
        onClose={() => setRenaming(null)}
      >
        <form onSubmit={rename} noValidate>
          <p className="hint">
            Only you see this name, beside the owner’s e-mail in your list. Leave it empty to clear it.
          </p>
          <Field label="Display name" name="displayName" error={error}>
            <input
              type="text"
              maxLength={NAME_MAX}
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </Field>
          {error instanceof ApiError && !error.messageFor('displayName') && <ProblemBanner error={error} />}
          <div className="actions">
            <button type="submit" disabled={busy}>
              Save name
            </button>
            <button type="button" className="secondary" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>

      <ConfirmPrompt
        open={leaving !== null}
        title={`Leave ${leaving?.name ?? 'the account'}?`}
        confirmLabel="Yes, leave"
        busy={busy}
        error={error}
        onConfirm={() => void leave()}
        onClose={() => setLeaving(null)}
      >
        <p>
          You will no longer reach {leaving?.name ?? 'it'} or anything in it. Environments you created there stay with
          the account. Its owner is told by e-mail. To come back you need a new invitation.
        </p>
      </ConfirmPrompt>
    </>
  );
}

/**
 * The dashboard notice of a new share: each invitation waiting for an answer, with Accept and
 * Decline right here (declining asks first: it cannot be undone).
 */
function ShareNotices({ onAnswered }: { onAnswered: (position: number) => void }) {
  const { api } = useConsole();
  const [pending, setPending] = useState<MyInvitation[]>([]);

  const load = useCallback(
    async (minPosition?: number) => {
      try {
        setPending(await api.all<MyInvitation>('/v1/me/invitations', { status: 'pending', minPosition }));
      } catch {
        // An unverified address may not list invitations: then there is simply no notice to show.
        setPending([]);
      }
    },
    [api],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // The accounts list is told too: an accepted share is a new account in it.
  const answers = useInvitationAnswers(async (position) => {
    onAnswered(position);
    await load(position);
  });
  const { accepted, error } = answers;

  if (pending.length === 0 && !accepted && !error) return null;
  return (
    <section aria-labelledby="share-notices-title" className="share-notices">
      <h2 id="share-notices-title">New shares</h2>
      {accepted && (
        <AcceptedNotice
          accountName={accepted.invitation.accountName}
          role={accepted.invitation.role}
          result={accepted.result}
        />
      )}
      <ProblemBanner error={error} />
      <ul className="notices">
        {pending.map((invitation) => (
          <li key={invitation.id} className="notice">
            <p>{shareNotice(invitation)}</p>
            {invitation.message && <blockquote className="message">{invitation.message}</blockquote>}
            <AnswerButtons invitation={invitation} answers={answers} />
          </li>
        ))}
      </ul>
      <DeclinePrompt answers={answers} />
    </section>
  );
}
