/** Request/reply subjects of the API token service. */
export const tokenSubjects = {
  issue: 'accord.cmd.token.issue',
  revoke: 'accord.cmd.token.revoke',
  setPolicy: 'accord.cmd.token.set-policy',
  list: 'accord.query.token.list',
  verify: 'accord.query.token.verify',
} as const;
