import { useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import { ConsoleContext } from '../console-context';
import { ConfirmPrompt } from '../components/dialog';
import { AcceptedNotice, InvitationDetails } from '../components/invitations-parts';
import {
  accountNameOf,
  inviterOf,
  linkNoticeOf,
  type InvitationAccepted,
  type InvitationChanged,
  type InvitationLink,
  type LinkNotice,
} from '../logic/invitation-view';
import { announceNotificationsChanged } from '../logic/notifications-view';
import { hrefOf } from '../logic/route';

export interface InvitationPageProps {
  readonly token: string;
  readonly signedIn: boolean;
  /** A signed-out visitor chose to sign in (with the invitation's e-mail). */
  readonly onSignIn: () => void;
  /** Signed out: the API without a session (the link view is public). */
  readonly anonymous?: ApiClient;
  /** Signed out, after "Sign in": the sign-in form to show on this page. */
  readonly signInForm?: ReactNode;
}

type Loaded =
  | { readonly state: 'loading' }
  | { readonly state: 'shown'; readonly link: InvitationLink }
  | { readonly state: 'unavailable'; readonly notice: LinkNotice };

type Answer =
  | { readonly kind: 'accepted'; readonly result: InvitationAccepted }
  | { readonly kind: 'declined'; readonly result: InvitationChanged };

/**
 * The page an invitation e-mail's link opens (`#/invitations/<token>`: the token stays in the
 * fragment, out of every server log). Anyone holding the link sees what it offers — viewing never
 * uses it up — and the person it was sent to, signed in, accepts or declines it here. A link that
 * cannot be used any more gets an informational page with the way forward, never a raw error.
 */
export function InvitationPage({ token, signedIn, onSignIn, anonymous, signInForm }: InvitationPageProps) {
  const session = useContext(ConsoleContext);
  const api = session?.api ?? anonymous;
  const email = session?.email ?? null;
  const titleId = useId();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [answerNotice, setAnswerNotice] = useState<LinkNotice | null>(null);
  const [answerError, setAnswerError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDecline, setConfirmDecline] = useState(false);
  const signInRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!api) return;
    let live = true;
    setLoaded({ state: 'loading' });
    setAnswer(null);
    setAnswerNotice(null);
    api
      .get<InvitationLink>(`/v1/invitations/by-token/${encodeURIComponent(token)}`)
      .then((link) => live && setLoaded({ state: 'shown', link }))
      .catch((error: unknown) => live && setLoaded({ state: 'unavailable', notice: linkNoticeOf(error, email) }));
    return () => {
      live = false;
    };
  }, [api, token, email]);

  // The sign-in form appears where the visitor asked for it: take them to its first field.
  useEffect(() => {
    if (signInForm) signInRef.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, [signInForm]);

  const accept = async (link: InvitationLink) => {
    if (!session) return;
    setBusy(true);
    setAnswerNotice(null);
    try {
      const result = await session.api.post<InvitationAccepted>('/v1/invitations/accept-token', { token });
      setAnswer({ kind: 'accepted', result });
      announceNotificationsChanged();
    } catch (error) {
      setAnswerNotice(linkNoticeOf(error, email, link.inviterEmail));
    } finally {
      setBusy(false);
    }
  };

  const decline = async (link: InvitationLink) => {
    if (!session) return;
    setBusy(true);
    setAnswerError(null);
    try {
      const result = await session.api.post<InvitationChanged>(
        `/v1/invitations/${encodeURIComponent(link.invitationId)}/decline`,
      );
      setConfirmDecline(false);
      setAnswer({ kind: 'declined', result });
      announceNotificationsChanged();
    } catch (error) {
      const notice = linkNoticeOf(error, email, link.inviterEmail);
      // Refusals that end the conversation close the dialog and say so on the page.
      if (notice.kind === 'other-email' || notice.kind === 'unusable') {
        setConfirmDecline(false);
        setAnswerNotice(notice);
      } else setAnswerError(error);
    } finally {
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (loaded.state === 'loading') {
    body = (
      <>
        <h1 id={titleId}>Invitation</h1>
        <p role="status">Opening the invitation…</p>
      </>
    );
  } else if (loaded.state === 'unavailable') {
    body = (
      <>
        <h1 id={titleId}>{loaded.notice.title}</h1>
        <NoticeText notice={loaded.notice} />
        <WhereNext signedIn={signedIn} onSignOut={loaded.notice.offerSignOut ? session?.signOut : undefined} />
      </>
    );
  } else {
    const link = loaded.link;
    const account = accountNameOf(link);
    const answerClosed =
      answerNotice !== null && (answerNotice.kind === 'other-email' || answerNotice.kind === 'unusable');
    body = (
      <>
        <h1 id={titleId}>Invitation to {account}</h1>
        <p className="lead">
          {inviterOf(link)} shared access to {account} with you.
        </p>
        <InvitationDetails invitation={link} />
        {answer?.kind === 'accepted' && (
          <AcceptedNotice accountName={link.accountName} role={link.role} result={answer.result} />
        )}
        {answer?.kind === 'declined' && (
          <div className="notice" role="status">
            <p>
              You declined the invitation to {account}. To join it later, ask {inviterOf(link)} for a new invitation.
            </p>
            <p>
              <a href={hrefOf({ screen: 'accounts' })}>Go to your accounts</a>
            </p>
          </div>
        )}
        {answerNotice && (
          <div className="notice warning" role="alert">
            <p>
              <strong>{answerNotice.title}</strong>
            </p>
            <NoticeText notice={answerNotice} />
            {answerNotice.offerSignOut && session && (
              <button type="button" className="secondary" onClick={session.signOut}>
                Sign out
              </button>
            )}
          </div>
        )}
        {!answer && !answerClosed && signedIn && (
          <>
            {email && <p className="hint">Signed in as {email}.</p>}
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => void accept(link)}>
                Accept invitation
              </button>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => {
                  setAnswerError(null);
                  setConfirmDecline(true);
                }}
              >
                Decline invitation
              </button>
            </div>
            <ConfirmPrompt
              open={confirmDecline}
              title={`Decline the invitation to ${account}?`}
              confirmLabel="Yes, decline"
              busy={busy}
              error={answerError}
              onConfirm={() => void decline(link)}
              onClose={() => setConfirmDecline(false)}
            >
              <p>
                {inviterOf(link)} will see that you declined. To join {account} later you will need a new invitation.
              </p>
            </ConfirmPrompt>
          </>
        )}
        {!signedIn && !signInForm && (
          <>
            <p>
              To accept or decline, sign in with the e-mail address this invitation was sent to. Opening this page does
              not use the invitation up.
            </p>
            <p>
              No account with that address yet? Sign up on the platform with it, then come back to this link: the
              invitation waits for you until it expires.
            </p>
            <button type="button" onClick={onSignIn}>
              Sign in to accept
            </button>
          </>
        )}
      </>
    );
  }

  if (signedIn) {
    return (
      <section aria-labelledby={titleId} className="invitation-page">
        {body}
      </section>
    );
  }
  // Signed out, the sign-in form brings its own <main>: the invitation becomes a named region beside it.
  if (signInForm) {
    return (
      <>
        <section aria-labelledby={titleId} className="invitation-page signed-out">
          {body}
        </section>
        <div ref={signInRef}>{signInForm}</div>
      </>
    );
  }
  return (
    <main id="main" aria-labelledby={titleId} className="invitation-page signed-out">
      {body}
    </main>
  );
}

function NoticeText({ notice }: { notice: LinkNotice }) {
  return (
    <>
      {notice.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
    </>
  );
}

/** The way on from a link that leads nowhere: the person's invitations and accounts, or signing in. */
function WhereNext({ signedIn, onSignOut }: { signedIn: boolean; onSignOut?: () => void }) {
  if (!signedIn) {
    return (
      <p className="actions">
        <a href={hrefOf({ screen: 'accounts' })}>Sign in to Accord</a>
      </p>
    );
  }
  return (
    <p className="actions">
      <a href={hrefOf({ screen: 'invitations' })}>Your invitations</a>
      <a href={hrefOf({ screen: 'accounts' })}>Your accounts</a>
      {onSignOut && (
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </p>
  );
}
