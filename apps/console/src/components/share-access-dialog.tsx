import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { useConsole } from '../console-context';
import { accessEndOf } from '../logic/accesses';
import { accessNameForUsers, BUILT_IN_ROLES, parseEmailList, roleLabel, type BillingAccount } from '../logic/people';
import type { PermissionCatalog } from '../logic/permissions';
import { CancelButton, Dialog } from './dialog';
import { Field } from './field';
import { PermissionPicker } from './permission-picker';
import { ProblemBanner } from './problem-banner';
import { useSubmission } from './use-submission';

/** What the share answered: the access and one invitation per recipient. */
export interface Shared {
  readonly id: string;
  readonly position: number;
  readonly invitations: readonly { readonly email: string }[];
}

/** The fields this form shows the API's messages under; any other refusal is shown above the buttons. */
const FIELDS = [
  'name',
  'type',
  'role',
  'recipients',
  'permissions',
  'scope',
  'scope.type',
  'scope.billingAccountId',
  'message',
  'mayCreateEnvironments',
  'accessExpiresAt',
];

function namesAField(error: unknown): boolean {
  return error instanceof ApiError && FIELDS.some((f) => error.messageFor(f) !== undefined);
}

/**
 * Sharing access (POST …/accesses), as "Add user" (the users list: the access is named after the
 * first e-mail, always a delegate access) or as "New access" (Access sharing: every field). Recipients
 * may be anyone: whether they have an account is never shown. The owner role takes no permissions and
 * is always global, so those fields are off while it is chosen.
 */
export function ShareAccessDialog({
  accountId,
  variant,
  open,
  onClose,
  onShared,
  catalog,
  billingAccounts,
}: {
  accountId: string;
  variant: 'users' | 'access';
  open: boolean;
  onClose: () => void;
  onShared: (shared: Shared) => void;
  catalog: PermissionCatalog | null;
  billingAccounts: readonly BillingAccount[];
}) {
  const title = variant === 'users' ? 'Add user' : 'New access';
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <ShareForm
        accountId={accountId}
        variant={variant}
        onClose={onClose}
        onShared={onShared}
        catalog={catalog}
        billingAccounts={billingAccounts}
      />
    </Dialog>
  );
}

function ShareForm({
  accountId,
  variant,
  onClose,
  onShared,
  catalog,
  billingAccounts,
}: {
  accountId: string;
  variant: 'users' | 'access';
  onClose: () => void;
  onShared: (shared: Shared) => void;
  catalog: PermissionCatalog | null;
  billingAccounts: readonly BillingAccount[];
}) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [type, setType] = useState<'delegate' | 'api_token'>('delegate');
  const [recipients, setRecipients] = useState('');
  const [role, setRole] = useState<string>('administrator');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [mayCreate, setMayCreate] = useState(false);
  const [scopeType, setScopeType] = useState<'global' | 'restricted'>('global');
  const [billingAccountId, setBillingAccountId] = useState(billingAccounts[0]?.id ?? '');
  const [message, setMessage] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const { busy, error, run } = useSubmission();
  const owner = role === 'owner';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const emails = parseEmailList(recipients);
    const accessExpiresAt = variant === 'access' ? accessEndOf(endsOn) : undefined;
    const body = {
      name: variant === 'users' ? accessNameForUsers(emails) : name,
      type: variant === 'users' ? 'delegate' : type,
      scope: !owner && scopeType === 'restricted' ? { type: 'restricted', billingAccountId } : { type: 'global' },
      role,
      recipients: emails,
      ...(owner ? {} : { permissions, mayCreateEnvironments: mayCreate }),
      ...(message.trim() ? { message } : {}),
      ...(accessExpiresAt ? { accessExpiresAt } : {}),
    };
    await run(async () => {
      const shared = await api.post<Shared>(`/v1/accounts/${encodeURIComponent(accountId)}/accesses`, body);
      onShared(shared);
      onClose();
    });
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {variant === 'access' && (
        <>
          <Field label="Name" name="name" error={error} hint="Seen by you only: who is this access for?">
            <input type="text" maxLength={100} required value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <fieldset>
            <legend>Type</legend>
            <label>
              <input
                type="radio"
                name="type"
                value="delegate"
                checked={type === 'delegate'}
                onChange={() => setType('delegate')}
              />{' '}
              Delegate access (acts in the console as a member)
            </label>
            <br />
            <label>
              <input
                type="radio"
                name="type"
                value="api_token"
                checked={type === 'api_token'}
                onChange={() => setType('api_token')}
              />{' '}
              API token (for scripts; issued on acceptance)
            </label>
          </fieldset>
        </>
      )}
      <Field
        label={variant === 'users' ? 'E-mail addresses' : 'Recipients'}
        name="recipients"
        error={error}
        hint="One or more e-mail addresses, separated by commas or new lines"
      >
        <textarea rows={2} required value={recipients} onChange={(e) => setRecipients(e.target.value)} />
      </Field>
      <Field label="Role" name="role" error={error}>
        <select value={role} onChange={(e) => setRole(e.target.value)}>
          {BUILT_IN_ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
      </Field>
      {owner && <p className="hint">Owners hold every permission in every billing account.</p>}
      {catalog ? (
        <PermissionPicker
          catalog={catalog}
          value={permissions}
          onChange={setPermissions}
          error={error}
          disabled={owner}
        />
      ) : (
        <p className="hint">Loading the permission sections…</p>
      )}
      <div className="field">
        <label>
          <input
            type="checkbox"
            name="mayCreateEnvironments"
            checked={mayCreate && !owner}
            disabled={owner}
            onChange={(e) => setMayCreate(e.target.checked)}
          />{' '}
          Allow user to create new environments
        </label>
      </div>
      <fieldset disabled={owner}>
        <legend>Scope</legend>
        <label>
          <input
            type="radio"
            name="scope"
            value="global"
            checked={owner || scopeType === 'global'}
            onChange={() => setScopeType('global')}
          />{' '}
          Global (every billing account)
        </label>
        <br />
        <label>
          <input
            type="radio"
            name="scope"
            value="restricted"
            checked={!owner && scopeType === 'restricted'}
            disabled={billingAccounts.length === 0}
            onChange={() => setScopeType('restricted')}
          />{' '}
          One billing account{billingAccounts.length === 0 ? ' (the account has none)' : ''}
        </label>
        {!owner && scopeType === 'restricted' && (
          <Field label="Billing account" name="scope.billingAccountId" error={error}>
            <select value={billingAccountId} onChange={(e) => setBillingAccountId(e.target.value)}>
              {billingAccounts.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </fieldset>
      <Field label="Message (optional)" name="message" error={error} hint="Shown to the recipients in the invitation">
        <textarea rows={3} maxLength={1000} value={message} onChange={(e) => setMessage(e.target.value)} />
      </Field>
      {variant === 'access' && (
        <Field
          label="Access ends on (optional)"
          name="accessExpiresAt"
          error={error}
          hint="At the end of that day its members are removed; at most a year ahead"
        >
          <input type="date" value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />
        </Field>
      )}
      {!namesAField(error) && <ProblemBanner error={error} />}
      <div className="dialog-actions">
        <button type="submit" disabled={busy}>
          {variant === 'users' ? 'Send invitation' : 'Share access'}
        </button>
        <CancelButton onClose={onClose} />
      </div>
    </form>
  );
}
