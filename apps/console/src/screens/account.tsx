import { ACCOUNT_SECTIONS, hrefOf, type AccountSection } from '../logic/route';
import { AccessSharing } from './account-access';
import { AuditLog } from './account-audit';
import { Roles } from './account-roles';
import { ApiTokens } from './account-tokens';
import { Users } from './account-users';

const LABELS: Record<AccountSection, string> = {
  users: 'Users',
  access: 'Access sharing',
  tokens: 'API tokens',
  roles: 'Roles',
  audit: 'Audit log',
};

/** One account: its sections as tabs (links, so the browser's back button and bookmarks work). */
export function AccountScreen({ accountId, section }: { accountId: string; section: AccountSection }) {
  return (
    <>
      <nav aria-label="Account sections" className="tabs">
        {ACCOUNT_SECTIONS.map((s) => (
          <a
            key={s}
            href={hrefOf({ screen: 'account', accountId, section: s })}
            aria-current={s === section ? 'page' : undefined}
          >
            {LABELS[s]}
          </a>
        ))}
      </nav>
      {section === 'users' && <Users accountId={accountId} />}
      {section === 'access' && <AccessSharing accountId={accountId} />}
      {section === 'tokens' && <ApiTokens accountId={accountId} />}
      {section === 'roles' && <Roles accountId={accountId} />}
      {section === 'audit' && <AuditLog accountId={accountId} />}
    </>
  );
}
