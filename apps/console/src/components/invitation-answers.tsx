import { useState } from 'react';
import { useConsole } from '../console-context';
import { accountNameOf, type InvitationAccepted, type MyInvitation } from '../logic/invitation-view';
import { announceNotificationsChanged } from '../logic/notifications-view';
import { ConfirmPrompt } from './dialog';

export type InvitationAnswers = ReturnType<typeof useInvitationAnswers>;

/**
 * Accepting and declining invitations from a list (the dashboard's new shares, the Invitations
 * screen): one answer at a time, declining asked first (it cannot be undone), the list reloaded no
 * older than the answer, the bell told.
 */
export function useInvitationAnswers(reload: (minPosition: number) => Promise<void>) {
  const { api } = useConsole();
  const [accepted, setAccepted] = useState<{ invitation: MyInvitation; result: InvitationAccepted } | null>(null);
  const [declined, setDeclined] = useState<MyInvitation | null>(null);
  const [declining, setDeclining] = useState<MyInvitation | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [declineError, setDeclineError] = useState<unknown>(null);
  const path = (invitation: MyInvitation, verb: string) =>
    `/v1/invitations/${encodeURIComponent(invitation.id)}/${verb}`;

  const accept = async (invitation: MyInvitation) => {
    setBusy(invitation.id);
    setError(null);
    setDeclined(null);
    try {
      const result = await api.post<InvitationAccepted>(path(invitation, 'accept'));
      setAccepted({ invitation, result });
      announceNotificationsChanged();
      await reload(result.position);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const decline = async () => {
    if (!declining) return;
    const invitation = declining;
    setBusy(invitation.id);
    setDeclineError(null);
    try {
      const result = await api.post<{ position: number }>(path(invitation, 'decline'));
      setDeclining(null);
      setAccepted(null);
      setDeclined(invitation);
      announceNotificationsChanged();
      await reload(result.position);
    } catch (e) {
      setDeclineError(e);
    } finally {
      setBusy(null);
    }
  };

  const askToDecline = (invitation: MyInvitation) => {
    setDeclineError(null);
    setDeclining(invitation);
  };

  return { accepted, declined, declining, busy, error, declineError, accept, decline, askToDecline, setDeclining };
}

/** Accept and Decline for one invitation, named with its account for screen readers. */
export function AnswerButtons({ invitation, answers }: { invitation: MyInvitation; answers: InvitationAnswers }) {
  const account = accountNameOf(invitation);
  return (
    <div className="actions">
      <button type="button" disabled={answers.busy !== null} onClick={() => void answers.accept(invitation)}>
        Accept<span className="visually-hidden"> the invitation to {account}</span>
      </button>
      <button
        type="button"
        className="secondary"
        disabled={answers.busy !== null}
        onClick={() => answers.askToDecline(invitation)}
      >
        Decline<span className="visually-hidden"> the invitation to {account}</span>
      </button>
    </div>
  );
}

/** "Decline the invitation to …?": asked before a decline, which cannot be undone. */
export function DeclinePrompt({ answers }: { answers: InvitationAnswers }) {
  const { declining } = answers;
  return (
    <ConfirmPrompt
      open={declining !== null}
      title={`Decline the invitation to ${declining ? accountNameOf(declining) : 'the account'}?`}
      confirmLabel="Yes, decline"
      busy={answers.busy !== null}
      error={answers.declineError}
      onConfirm={() => void answers.decline()}
      onClose={() => answers.setDeclining(null)}
    >
      <p>To join it later you will need a new invitation.</p>
    </ConfirmPrompt>
  );
}
