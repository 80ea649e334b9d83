import { useEffect, useRef, useState } from 'react';

/**
 * A secret the API answers once (a new or rotated API token): shown here, never stored by the
 * console, gone when dismissed or when the page reloads. Copy puts it on the clipboard.
 */
export function SecretOnce({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus moves to the secret so a keyboard or screen-reader user lands on it right after creating.
  useEffect(() => heading.current?.focus(), [secret]);

  const copyIt = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <section className="secret-once notice" aria-labelledby="secret-once-title">
      <h2 id="secret-once-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p>
        <strong>Copy it now: you will not see it again.</strong> Accord keeps only a hash of it.
      </p>
      <p className="secret-value">
        <label htmlFor="secret-once-value">Token secret</label>
        <input
          id="secret-once-value"
          type="text"
          readOnly
          value={secret}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
      </p>
      <p className="actions">
        <button type="button" onClick={() => void copyIt()}>
          Copy
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
        <span role="status">
          {copy === 'copied' ? 'Copied' : copy === 'failed' ? 'Copying failed: select the secret and copy it.' : ''}
        </span>
      </p>
    </section>
  );
}
