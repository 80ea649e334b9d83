import { ApiError } from '../api/problem';

/** An API refusal or failure, said in the API's own words (its problem+json detail). */
export function ProblemBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? error.problem.detail : 'Something went wrong.';
  return (
    <p className="problem" role="alert">
      {text}
    </p>
  );
}
