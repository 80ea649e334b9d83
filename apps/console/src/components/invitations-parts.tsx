import { hrefOf } from '../logic/route';
import {
  accountNameOf,
  formatWhen,
  inviterOf,
  permissionsLabel,
  roleLabel,
  scopeLabel,
  type InvitationOffer,
  type InvitationAccepted,
} from '../logic/invitation-view';

/** What an invitation offers, as a list of terms: account, inviter, role, permissions, scope, message, expiry. */
export function InvitationDetails({ invitation }: { invitation: InvitationOffer }) {
  return (
    <dl className="details">
      <dt>Account</dt>
      <dd>{accountNameOf(invitation)}</dd>
      <dt>Invited by</dt>
      <dd>{inviterOf(invitation)}</dd>
      <dt>Role</dt>
      <dd>{roleLabel(invitation.role)}</dd>
      <dt>Permissions</dt>
      <dd>{permissionsLabel(invitation)}</dd>
      {invitation.mayCreateEnvironments && (
        <>
          <dt>Environments</dt>
          <dd>You may create new ones</dd>
        </>
      )}
      <dt>Billing accounts</dt>
      <dd>{scopeLabel(invitation.scope)}</dd>
      {invitation.message && (
        <>
          <dt>Message</dt>
          <dd>
            <blockquote className="message">{invitation.message}</blockquote>
          </dd>
        </>
      )}
      <dt>Valid until</dt>
      <dd>
        <time dateTime={invitation.expiresAt}>{formatWhen(invitation.expiresAt)}</time>
      </dd>
    </dl>
  );
}

/**
 * After accepting: where the account is now, and for an API-token access its secret, shown this
 * once (the API keeps only its hash).
 */
export function AcceptedNotice({
  accountName,
  role,
  result,
}: {
  accountName: string;
  role: string;
  result: InvitationAccepted;
}) {
  const name = accountName.trim() || 'the account';
  if (result.apiToken) {
    return (
      <div className="notice secret-once" role="status">
        <p>
          You accepted the invitation to {name}. Your API token for it is below: it is shown only this once, so copy it
          now and keep it somewhere safe.
        </p>
        <p>
          <label htmlFor={`token-${result.invitationId}`}>API token</label>
          <input
            id={`token-${result.invitationId}`}
            readOnly
            value={result.apiToken.token}
            onFocus={(e) => e.currentTarget.select()}
          />
        </p>
        <p>
          <a href={hrefOf({ screen: 'accounts' })}>Go to your accounts</a>
        </p>
      </div>
    );
  }
  return (
    <div className="notice" role="status">
      <p>
        You accepted the invitation to {name} and joined it as {roleLabel(role)}. It is in your accounts under Shared
        with me.
      </p>
      <p className="actions">
        <a href={hrefOf({ screen: 'account', accountId: result.accountId, section: 'users' })}>Open {name}</a>
        <a href={hrefOf({ screen: 'accounts' })}>Go to your accounts</a>
      </p>
    </div>
  );
}
