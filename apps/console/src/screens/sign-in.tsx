import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/client';
import { Field } from '../components/field';
import { ProblemBanner } from '../components/problem-banner';
import { useSubmission } from '../components/use-submission';

/**
 * Sign in. The embedded profile has the dev token endpoint (an e-mail is enough); behind a real
 * identity provider the platform's sign-in hands a session token over (`/#token=…`) or it is pasted.
 */
export function SignIn({ onSignedIn, reason }: { onSignedIn: (token: string) => void; reason?: string }) {
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const { busy, error, run } = useSubmission();
  const anonymous = new ApiClient(
    () => null,
    () => undefined,
  );

  const withEmail = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const answer = await anonymous.post<{ token: string }>('/v1/dev/tokens', { email });
      onSignedIn(answer.token);
    });
  };

  const withToken = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignedIn(token.trim());
  };

  return (
    <main className="sign-in">
      <h1>Sign in to Accord</h1>
      {reason && <p className="notice">{reason}</p>}
      <form onSubmit={withEmail} aria-label="Sign in with your e-mail">
        <Field label="E-mail" name="email" error={error}>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ProblemBanner error={error} />
      </form>
      <details>
        <summary>Signed in on the platform? Paste your session token</summary>
        <form onSubmit={withToken} aria-label="Sign in with a session token">
          <Field label="Session token" name="token">
            <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
          </Field>
          <button type="submit">Use this token</button>
        </form>
      </details>
    </main>
  );
}
