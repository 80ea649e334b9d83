import { useCallback, useState } from 'react';

/**
 * One request of a form or dialog at a time: `busy` while it runs (buttons disable), and what it
 * threw kept as `error` for the form to show by field. A new run clears the last error.
 */
export function useSubmission() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
