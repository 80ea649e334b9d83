import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { CancelButton, ConfirmDialog, Dialog } from '../components/dialog';
import { Field } from '../components/field';
import { usePermissionCatalog } from '../components/permission-picker';
import { ProblemBanner } from '../components/problem-banner';
import { ShareAccessDialog, type Shared } from '../components/share-access-dialog';
import { useConsole } from '../console-context';
import { whenText } from '../logic/accesses';
import {
  isMember,
  personName,
  personStatusLabel,
  roleLabel,
  roleOptions,
  scopeLabel,
  transferCandidates,
  type BillingAccount,
  type CustomRole,
  type Member,
  type Person,
} from '../logic/people';
import { useSubmission } from '../components/use-submission';

/** The signed-in person's place in the account (GET /v1/accounts/{id}). */
interface MyAccount {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly isRootOwner: boolean;
}

type Open =
  | { readonly kind: 'add' }
  | { readonly kind: 'remove'; readonly member: Member }
  | { readonly kind: 'name'; readonly member: Member }
  | { readonly kind: 'transfer' }
  | null;

/**
 * Users: the members and the people invited, with their role, status and scope. Owners add users
 * (an access share), change roles with the drop-down, rename, remove, resend or revoke invitations;
 * the root owner is marked and protected, and alone may hand the root over. Everyone else reads.
 */
export function Users({ accountId }: { accountId: string }) {
  const { api } = useConsole();
  const base = `/v1/accounts/${encodeURIComponent(accountId)}`;
  const [account, setAccount] = useState<MyAccount | null>(null);
  const [people, setPeople] = useState<Person[] | null>(null);
  const [customRoles, setCustomRoles] = useState<CustomRole[]>([]);
  const [billing, setBilling] = useState<BillingAccount[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [said, setSaid] = useState('');
  const [open, setOpen] = useState<Open>(null);
  const { catalog } = usePermissionCatalog(api);

  const load = useCallback(
    async (minPosition?: number) => {
      const q = { minPosition };
      const [me, list, roles, billingAccounts] = await Promise.allSettled([
        api.get<MyAccount>(base, q),
        api.all<Person>(`${base}/members`, { ...q, status: 'all' }),
        api.all<CustomRole>(`${base}/roles`, q),
        api.all<BillingAccount>(`${base}/billing-accounts`, q),
      ]);
      if (me.status === 'fulfilled') setAccount(me.value);
      if (list.status === 'fulfilled') {
        setPeople(list.value);
        setLoadError(null);
      } else {
        setLoadError(list.reason);
      }
      if (roles.status === 'fulfilled') setCustomRoles(roles.value);
      if (billingAccounts.status === 'fulfilled') setBilling(billingAccounts.value);
    },
    [api, base],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const isOwner = account?.role === 'owner';
  const close = () => setOpen(null);

  /** Runs an owner's action, says what happened, and reads the list again at least as new as the change. */
  const act = async (what: () => Promise<{ position?: number }>, done: string) => {
    setActionError(null);
    try {
      const result = await what();
      setSaid(done);
      await load(result?.position);
    } catch (e) {
      setActionError(e);
      await load();
    }
  };

  const changeRole = (member: Member, role: string) =>
    act(
      () => api.patch(`${base}/members/${encodeURIComponent(member.userId)}`, { role }),
      `${member.email} is now ${roleLabel(role)}.`,
    );

  const onShared = (shared: Shared) => {
    const emails = shared.invitations.map((i) => i.email).join(', ');
    setSaid(`Invitation sent to ${emails}.`);
    void load(shared.position);
  };

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Users</h1>
      {account && <p className="hint">{account.name}</p>}
      {isOwner && (
        <div className="toolbar">
          <button type="button" onClick={() => setOpen({ kind: 'add' })}>
            Add user
          </button>
          {account?.isRootOwner && (
            <button type="button" className="secondary" onClick={() => setOpen({ kind: 'transfer' })}>
              Transfer ownership
            </button>
          )}
        </div>
      )}
      <p role="status" className="said">
        {said}
      </p>
      <ProblemBanner error={actionError} />
      <ProblemBanner error={loadError} />
      {people === null && !loadError && <p>Loading…</p>}
      {people && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Users of the account</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Scope</th>
                {isOwner && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {people.map((person) => (
                <tr key={isMember(person) ? `m-${person.userId}` : `i-${person.invitationId}`}>
                  <td>{person.email}</td>
                  <td>
                    {isMember(person) ? (person.displayName ?? '') : ''}
                    {isOwner && isMember(person) && (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="link"
                          aria-label={`Edit name of ${person.email}`}
                          onClick={() => setOpen({ kind: 'name', member: person })}
                        >
                          Edit name
                        </button>
                      </>
                    )}
                  </td>
                  <td>
                    {isOwner && isMember(person) && !person.isRootOwner ? (
                      <select
                        aria-label={`Role of ${person.email}`}
                        value={person.role}
                        onChange={(e) => void changeRole(person, e.target.value)}
                      >
                        {roleOptions(customRoles, person.role).map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      roleLabel(person.role)
                    )}
                    {isMember(person) && person.isRootOwner && (
                      <>
                        {' '}
                        <span className="tag">Root owner</span>
                      </>
                    )}
                  </td>
                  <td>
                    {personStatusLabel(person.status)}
                    {!isMember(person) && (
                      <small className="hint"> (link valid until {whenText(person.expiresAt)})</small>
                    )}
                  </td>
                  <td>{scopeLabel(person.scope, billing)}</td>
                  {isOwner && (
                    <td className="row-actions">
                      {isMember(person) ? (
                        !person.isRootOwner && (
                          <button
                            type="button"
                            className="danger"
                            aria-label={`Remove ${person.email}`}
                            onClick={() => setOpen({ kind: 'remove', member: person })}
                          >
                            Remove
                          </button>
                        )
                      ) : (
                        <>
                          <button
                            type="button"
                            className="secondary"
                            aria-label={`Resend invitation to ${person.email}`}
                            onClick={() =>
                              void act(
                                () => api.post(`${base}/invitations/${encodeURIComponent(person.invitationId)}/resend`),
                                `A new invitation link was sent to ${person.email}.`,
                              )
                            }
                          >
                            Resend
                          </button>{' '}
                          <button
                            type="button"
                            className="danger"
                            aria-label={`Revoke invitation to ${person.email}`}
                            onClick={() =>
                              void act(
                                () => api.delete(`${base}/invitations/${encodeURIComponent(person.invitationId)}`),
                                `The invitation to ${person.email} was revoked.`,
                              )
                            }
                          >
                            Revoke
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ShareAccessDialog
        accountId={accountId}
        variant="users"
        open={open?.kind === 'add'}
        onClose={close}
        onShared={onShared}
        catalog={catalog}
        billingAccounts={billing}
      />

      <ConfirmDialog
        open={open?.kind === 'remove'}
        title="Remove user"
        confirmLabel="Remove"
        onClose={close}
        onConfirm={async () => {
          if (open?.kind !== 'remove') return;
          const member = open.member;
          const result = await api.delete<{ position: number }>(`${base}/members/${encodeURIComponent(member.userId)}`);
          setSaid(`${member.email} was removed from the account.`);
          await load(result.position);
        }}
      >
        {open?.kind === 'remove' && (
          <p>
            Remove {personName(open.member)} from the account? They lose access at once; what they created stays with
            the account.
          </p>
        )}
      </ConfirmDialog>

      <Dialog open={open?.kind === 'name'} title="Edit name" onClose={close}>
        {open?.kind === 'name' && (
          <NameForm
            member={open.member}
            onClose={close}
            save={async (displayName) => {
              const result = await api.patch<{ position: number }>(
                `${base}/members/${encodeURIComponent(open.member.userId)}`,
                { displayName },
              );
              setSaid(`The name of ${open.member.email} was saved.`);
              await load(result.position);
            }}
          />
        )}
      </Dialog>

      <Dialog open={open?.kind === 'transfer'} title="Transfer ownership" onClose={close}>
        {people && (
          <TransferForm
            candidates={transferCandidates(people)}
            onClose={close}
            transfer={async (member) => {
              const result = await api.post<{ position: number }>(`${base}/ownership-transfer`, {
                userId: member.userId,
              });
              setSaid(`${member.email} is now the root owner.`);
              await load(result.position);
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

/** The owner's name for a member, shown beside the e-mail in the list (empty clears it). */
function NameForm({
  member,
  onClose,
  save,
}: {
  member: Member;
  onClose: () => void;
  save: (displayName: string) => Promise<void>;
}) {
  const [value, setValue] = useState(member.displayName ?? '');
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
      <p>{member.email}</p>
      <Field label="Display name" name="displayName" error={error} hint="Shown beside the e-mail; empty to clear">
        <input type="text" maxLength={100} value={value} onChange={(e) => setValue(e.target.value)} />
      </Field>
      {!(error instanceof ApiError && error.messageFor('displayName')) && <ProblemBanner error={error} />}
      <div className="dialog-actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <CancelButton onClose={onClose} />
      </div>
    </form>
  );
}

/** Hand the root over: the new root owner becomes an owner with a global scope; you stay an owner. */
function TransferForm({
  candidates,
  onClose,
  transfer,
}: {
  candidates: readonly Member[];
  onClose: () => void;
  transfer: (member: Member) => Promise<void>;
}) {
  const [userId, setUserId] = useState(candidates[0]?.userId ?? '');
  const { busy, error, run } = useSubmission();
  if (candidates.length === 0)
    return (
      <>
        <p>Nobody else is a member yet: add a user first.</p>
        <div className="dialog-actions">
          <CancelButton onClose={onClose} label="Close" />
        </div>
      </>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const member = candidates.find((c) => c.userId === userId);
    if (!member) return;
    await run(async () => {
      await transfer(member);
      onClose();
    });
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <p>
        The new root owner becomes an owner of every billing account and alone can close the account or transfer it
        again. You stay an owner and can then leave.
      </p>
      <Field label="New root owner" name="userId" error={error}>
        <select value={userId} onChange={(e) => setUserId(e.target.value)}>
          {candidates.map((c) => (
            <option key={c.userId} value={c.userId}>
              {personName(c)}
            </option>
          ))}
        </select>
      </Field>
      <ProblemBanner error={error} />
      <div className="dialog-actions">
        <button type="submit" className="danger" disabled={busy}>
          Transfer ownership
        </button>
        <CancelButton onClose={onClose} />
      </div>
    </form>
  );
}
