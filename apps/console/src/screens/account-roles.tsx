import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/problem';
import { CancelButton, ConfirmDialog, Dialog } from '../components/dialog';
import { Field } from '../components/field';
import { PermissionPicker, usePermissionCatalog } from '../components/permission-picker';
import { ProblemBanner } from '../components/problem-banner';
import { useConsole } from '../console-context';
import { whenText } from '../logic/accesses';
import { personName, roleLabel, type CustomRole, type Member } from '../logic/people';
import { permissionLabel, sectionLabel, supportLevelLabel, type PermissionCatalog } from '../logic/permissions';
import { useSubmission } from '../components/use-submission';

interface MemberAccess {
  readonly userId: string;
  readonly role: string;
  readonly sections: Readonly<Record<string, string>>;
  readonly accessExpiresAt: string | null;
}

/**
 * Roles: the account's custom roles (owners define and delete them; a role still held cannot be
 * deleted and the API says so), and the support view: what one member may manage or read, per
 * section, exactly as support looks it up before acting on a member's request.
 */
export function Roles({ accountId }: { accountId: string }) {
  const { api } = useConsole();
  const base = `/v1/accounts/${encodeURIComponent(accountId)}`;
  const [roles, setRoles] = useState<CustomRole[] | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [isOwner, setIsOwner] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [said, setSaid] = useState('');
  const [open, setOpen] = useState<{ kind: 'define' } | { kind: 'delete'; role: CustomRole } | null>(null);
  const { catalog } = usePermissionCatalog(api);

  const load = useCallback(
    async (minPosition?: number) => {
      const q = { minPosition };
      const [list, people, me] = await Promise.allSettled([
        api.all<CustomRole>(`${base}/roles`, q),
        api.all<Member>(`${base}/members`, q),
        api.get<{ role: string }>(base, q),
      ]);
      if (list.status === 'fulfilled') {
        setRoles(list.value);
        setLoadError(null);
      } else {
        setLoadError(list.reason);
      }
      if (people.status === 'fulfilled') setMembers(people.value);
      if (me.status === 'fulfilled') setIsOwner(me.value.role === 'owner');
    },
    [api, base],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const close = () => setOpen(null);

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Roles</h1>
      <p role="status" className="said">
        {said}
      </p>
      <section aria-labelledby="custom-roles-title">
        <h2 id="custom-roles-title">Custom roles</h2>
        <p className="hint">
          Built-in roles: owner, administrator, accountant and read-only. A custom role is a named set of permissions
          you can give members in the Users list.
        </p>
        {isOwner && (
          <div className="toolbar">
            <button type="button" onClick={() => setOpen({ kind: 'define' })}>
              Define role
            </button>
          </div>
        )}
        <ProblemBanner error={loadError} />
        {roles === null && !loadError && <p>Loading…</p>}
        {roles && roles.length === 0 && <p>The account has no custom roles.</p>}
        {roles && roles.length > 0 && (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Custom roles</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Permissions</th>
                  {isOwner && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {roles.map((role) => (
                  <tr key={role.name}>
                    <td>{role.name}</td>
                    <td>{role.permissions.map(permissionLabel).join(', ') || 'None'}</td>
                    {isOwner && (
                      <td>
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete role ${role.name}`}
                          onClick={() => setOpen({ kind: 'delete', role })}
                        >
                          Delete
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <SupportView base={base} members={members} catalog={catalog} />

      <Dialog open={open?.kind === 'define'} title="Define role" onClose={close}>
        {catalog ? (
          <DefineRoleForm
            catalog={catalog}
            onClose={close}
            define={async (name, permissions) => {
              const result = await api.post<{ position: number }>(`${base}/roles`, { name, permissions });
              setSaid(`The role ${name} was defined.`);
              await load(result.position);
            }}
          />
        ) : (
          <p>Loading the permission sections…</p>
        )}
      </Dialog>

      <ConfirmDialog
        open={open?.kind === 'delete'}
        title="Delete role"
        confirmLabel="Delete role"
        onClose={close}
        onConfirm={async () => {
          if (open?.kind !== 'delete') return;
          const result = await api.delete<{ position: number }>(`${base}/roles/${encodeURIComponent(open.role.name)}`);
          setSaid(`The role ${open.role.name} was deleted.`);
          await load(result.position);
        }}
      >
        {open?.kind === 'delete' && (
          <p>Delete the role {open.role.name}? It cannot be deleted while a member holds it.</p>
        )}
      </ConfirmDialog>
    </section>
  );
}

function DefineRoleForm({
  catalog,
  onClose,
  define,
}: {
  catalog: PermissionCatalog;
  onClose: () => void;
  define: (name: string, permissions: string[]) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const { busy, error, run } = useSubmission();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await define(name.trim(), permissions);
      onClose();
    });
  };
  const fielded = error instanceof ApiError && (error.messageFor('name') || error.messageFor('permissions'));
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Field label="Role name" name="name" error={error} hint="Lower-case letters, digits and dashes, e.g. dns-admin">
        <input type="text" maxLength={50} required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <PermissionPicker catalog={catalog} value={permissions} onChange={setPermissions} error={error} />
      {!fielded && <ProblemBanner error={error} />}
      <div className="dialog-actions">
        <button type="submit" disabled={busy}>
          Define role
        </button>
        <CancelButton onClose={onClose} />
      </div>
    </form>
  );
}

/** The support look-up: pick a member, see per section whether support may act (management), only read, or nothing. */
function SupportView({
  base,
  members,
  catalog,
}: {
  base: string;
  members: readonly Member[];
  catalog: PermissionCatalog | null;
}) {
  const { api } = useConsole();
  const [userId, setUserId] = useState('');
  const [access, setAccess] = useState<MemberAccess | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setAccess(null);
    setError(null);
    if (!userId) return;
    let live = true;
    api.get<MemberAccess>(`${base}/members/${encodeURIComponent(userId)}/access`).then(
      (a) => live && setAccess(a),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, base, userId]);

  // In the catalog's order when it is known; the look-up's own order otherwise.
  const order = catalog?.sections.map((s) => s.name) ?? [];
  const sections = access
    ? Object.keys(access.sections).sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999))
    : [];

  return (
    <section aria-labelledby="support-view-title">
      <h2 id="support-view-title">Support view</h2>
      <p className="hint">
        What support may do for a member who contacts them: with management, anything but deleting; read only, nothing
        without the owner’s approval; no access, nothing is disclosed.
      </p>
      <div className="field">
        <label htmlFor="support-member">Member</label>
        <select id="support-member" value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">Choose a member</option>
          {members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {personName(m)}
            </option>
          ))}
        </select>
      </div>
      <ProblemBanner error={error} />
      {access && (
        <>
          <p>
            Role: {roleLabel(access.role)}
            {access.accessExpiresAt && <> · access ends {whenText(access.accessExpiresAt)}</>}
          </p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Access per section</caption>
              <thead>
                <tr>
                  <th scope="col">Section</th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {sections.map((s) => (
                  <tr key={s}>
                    <td>{sectionLabel(s)}</td>
                    <td>{supportLevelLabel(access.sections[s] ?? 'none')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
