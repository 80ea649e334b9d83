import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { CancelButton, ConfirmDialog, Dialog } from '../components/dialog';
import { Field } from '../components/field';
import { usePermissionCatalog } from '../components/permission-picker';
import { ProblemBanner } from '../components/problem-banner';
import { ShareAccessDialog, type Shared } from '../components/share-access-dialog';
import { useConsole } from '../console-context';
import {
  accessStatusLabel,
  accessTitle,
  accessTypeLabel,
  recipientStatusLabel,
  whenText,
  type Access,
} from '../logic/accesses';
import { parseEmailList, roleLabel, scopeLabel, type BillingAccount, type Member } from '../logic/people';
import { grantSummary } from '../logic/invitation-view';
import { useSubmission } from '../components/use-submission';

type Open =
  | { readonly kind: 'new' }
  | { readonly kind: 'recipients'; readonly access: Access }
  | { readonly kind: 'rename'; readonly access: Access }
  | { readonly kind: 'revoke'; readonly access: Access }
  | null;

/**
 * Access sharing (owners): every access of the account with its recipients and where each stands.
 * An access's name is its sharer's own label, so another owner's access is shown by who shared it.
 */
export function AccessSharing({ accountId }: { accountId: string }) {
  const { api } = useConsole();
  const base = `/v1/accounts/${encodeURIComponent(accountId)}`;
  const [accesses, setAccesses] = useState<Access[] | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [billing, setBilling] = useState<BillingAccount[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [said, setSaid] = useState('');
  const [open, setOpen] = useState<Open>(null);
  const { catalog } = usePermissionCatalog(api);

  const load = useCallback(
    async (minPosition?: number) => {
      const q = { minPosition };
      const [list, people, billingAccounts] = await Promise.allSettled([
        api.all<Access>(`${base}/accesses`, q),
        api.all<Member>(`${base}/members`, q),
        api.all<BillingAccount>(`${base}/billing-accounts`, q),
      ]);
      if (list.status === 'fulfilled') {
        setAccesses(list.value);
        setLoadError(null);
      } else {
        setLoadError(list.reason);
      }
      if (people.status === 'fulfilled') setMembers(people.value);
      if (billingAccounts.status === 'fulfilled') setBilling(billingAccounts.value);
    },
    [api, base],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const emailOf = (userId: string) => members.find((m) => m.userId === userId)?.email;
  const close = () => setOpen(null);
  const accessPath = (access: Access) => `${base}/accesses/${encodeURIComponent(access.id)}`;

  const onShared = (shared: Shared) => {
    setSaid(`Access shared with ${shared.invitations.map((i) => i.email).join(', ')}.`);
    void load(shared.position);
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Access sharing</h1>
      <div className="toolbar">
        <button type="button" onClick={() => setOpen({ kind: 'new' })} disabled={loadError !== null}>
          New access
        </button>
      </div>
      <p role="status" className="said">
        {said}
      </p>
      <ProblemBanner error={loadError} />
      {accesses === null && !loadError && <p>Loading…</p>}
      {accesses && accesses.length === 0 && <p>No access has been shared yet.</p>}
      {accesses && accesses.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Shared accesses</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Role</th>
                <th scope="col">Scope</th>
                <th scope="col">Status</th>
                <th scope="col">Recipients</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {accesses.map((access) => {
                const title = accessTitle(access, emailOf);
                const active = access.status === 'active';
                return (
                  <tr key={access.id}>
                    <td>
                      {title}
                      <br />
                      <small className="hint">Shared {whenText(access.sharedAt)}</small>
                    </td>
                    <td>{accessTypeLabel(access.type)}</td>
                    <td>
                      {roleLabel(access.role)}
                      {grantSummary(access) && (
                        <small className="hint">
                          <br />
                          {grantSummary(access)}
                        </small>
                      )}
                    </td>
                    <td>{scopeLabel(access.scope, billing)}</td>
                    <td>
                      {accessStatusLabel(access.status)}
                      {access.accessExpiresAt && (
                        <small className="hint">
                          <br />
                          {active ? 'Ends' : 'Ended'} {whenText(access.endedAt ?? access.accessExpiresAt)}
                        </small>
                      )}
                    </td>
                    <td>
                      <ul className="plain">
                        {access.recipients.map((r) => (
                          <li key={r.invitationId}>
                            {r.email}: {recipientStatusLabel(r)}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="row-actions">
                      {active && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Add recipients to ${title}`}
                          onClick={() => setOpen({ kind: 'recipients', access })}
                        >
                          Add recipients
                        </button>
                      )}{' '}
                      {access.name !== null && (
                        <button
                          type="button"
                          className="secondary"
                          aria-label={`Rename ${title}`}
                          onClick={() => setOpen({ kind: 'rename', access })}
                        >
                          Rename
                        </button>
                      )}{' '}
                      {active && (
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Revoke ${title}`}
                          onClick={() => setOpen({ kind: 'revoke', access })}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <ShareAccessDialog
        accountId={accountId}
        variant="access"
        open={open?.kind === 'new'}
        onClose={close}
        onShared={onShared}
        catalog={catalog}
        billingAccounts={billing}
      />

      <Dialog open={open?.kind === 'recipients'} title="Add recipients" onClose={close}>
        {open?.kind === 'recipients' && (
          <OneFieldForm
            label="Recipients"
            name="recipients"
            hint="One or more e-mail addresses, separated by commas or new lines"
            multiline
            submitLabel="Add recipients"
            onClose={close}
            save={async (text) => {
              const shared = await api.post<Shared>(`${accessPath(open.access)}/recipients`, {
                recipients: parseEmailList(text),
              });
              onShared(shared);
            }}
          />
        )}
      </Dialog>

      <Dialog open={open?.kind === 'rename'} title="Rename access" onClose={close}>
        {open?.kind === 'rename' && (
          <OneFieldForm
            label="Name"
            name="name"
            hint="Seen by you only"
            initial={open.access.name ?? ''}
            submitLabel="Save"
            onClose={close}
            save={async (name) => {
              const result = await api.patch<{ position: number }>(accessPath(open.access), { name });
              setSaid(`The access is now called ${name.trim()}.`);
              await load(result.position);
            }}
          />
        )}
      </Dialog>

      <ConfirmDialog
        open={open?.kind === 'revoke'}
        title="Revoke access"
        confirmLabel="Revoke access"
        onClose={close}
        onConfirm={async () => {
          if (open?.kind !== 'revoke') return;
          const result = await api.delete<{ position: number }>(accessPath(open.access));
          setSaid('The access was revoked.');
          await load(result.position);
        }}
      >
        {open?.kind === 'revoke' && (
          <p>
            Revoke “{accessTitle(open.access, emailOf)}”? Its pending invitations are revoked and the members who joined
            through it are removed.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

/** A dialog's one-field form: the API's message under the field, anything else above the buttons. */
function OneFieldForm({
  label,
  name,
  hint,
  initial = '',
  multiline = false,
  submitLabel,
  onClose,
  save,
}: {
  label: string;
  name: string;
  hint?: string;
  initial?: string;
  multiline?: boolean;
  submitLabel: string;
  onClose: () => void;
  save: (value: string) => Promise<void>;
}) {
  const [value, setValue] = useState(initial);
  const { busy, error, run } = useSubmission();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await save(value);
      onClose();
    });
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Field label={label} name={name} error={error} hint={hint}>
        {multiline ? (
          <textarea rows={3} value={value} onChange={(e) => setValue(e.target.value)} />
        ) : (
          <input type="text" maxLength={100} value={value} onChange={(e) => setValue(e.target.value)} />
        )}
      </Field>
      {!(error instanceof ApiError && error.messageFor(name)) && <ProblemBanner error={error} />}
      <div className="dialog-actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        <CancelButton onClose={onClose} />
      </div>
    </form>
  );
}
