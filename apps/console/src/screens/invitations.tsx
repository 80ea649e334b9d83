import { useCallback, useEffect, useState } from 'react';
import { AnswerButtons, DeclinePrompt, useInvitationAnswers } from '../components/invitation-answers';
import { AcceptedNotice, InvitationDetails } from '../components/invitations-parts';
import { ProblemBanner } from '../components/problem-banner';
import { useConsole } from '../console-context';
import {
  accountNameOf,
  formatWhen,
  invitationStatusLabel,
  inviterOf,
  roleLabel,
  splitInvitations,
  type MyInvitation,
} from '../logic/invitation-view';

/**
 * The invitations sent to the signed-in person's address: those waiting for an answer, with
 * Accept and Decline, and the past ones with how each ended. Newest first, as the API lists them.
 */
export function MyInvitations() {
  const { api } = useConsole();
  const [invitations, setInvitations] = useState<MyInvitation[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(
    async (minPosition?: number) => {
      try {
        setInvitations(await api.all<MyInvitation>('/v1/me/invitations', { minPosition }));
        setLoadError(null);
      } catch (e) {
        setLoadError(e);
      }
    },
    [api],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const answers = useInvitationAnswers(load);
  const { accepted, declined, error } = answers;

  const { pending, past } = splitInvitations(invitations ?? []);

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Invitations</h1>
      <ProblemBanner error={loadError} />
      {accepted && (
        <AcceptedNotice
          accountName={accepted.invitation.accountName}
          role={accepted.invitation.role}
          result={accepted.result}
        />
      )}
      {declined && (
        <p className="notice" role="status">
          You declined the invitation to {accountNameOf(declined)}.
        </p>
      )}
      <ProblemBanner error={error} />

      <section aria-labelledby="pending-title">
        <h2 id="pending-title">Waiting for your answer</h2>
        {invitations === null && !loadError ? (
          <p role="status">Loading…</p>
        ) : pending.length === 0 ? (
          <p>No invitation is waiting for your answer.</p>
        ) : (
          <ul className="invitation-cards">
            {pending.map((invitation) => {
              const account = accountNameOf(invitation);
              return (
                <li key={invitation.id} className="card">
                  <h3>Invitation to {account}</h3>
                  <InvitationDetails invitation={invitation} />
                  <AnswerButtons invitation={invitation} answers={answers} />
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="past-title">
        <h2 id="past-title">Past invitations</h2>
        {invitations !== null && past.length === 0 ? (
          <p>None yet.</p>
        ) : invitations !== null ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Past invitations</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Valid until</th>
                </tr>
              </thead>
              <tbody>
                {past.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{accountNameOf(invitation)}</td>
                    <td>{inviterOf(invitation)}</td>
                    <td>{roleLabel(invitation.role)}</td>
                    <td>{invitationStatusLabel(invitation.status)}</td>
                    <td>
                      <time dateTime={invitation.expiresAt}>{formatWhen(invitation.expiresAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <DeclinePrompt answers={answers} />
    </section>
  );
}
