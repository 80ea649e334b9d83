/** Request/reply subjects of the API token service. */
export const tokenSubjects = {
  issue: 'accord.cmd.token.issue',
  revoke: 'accord.cmd.token.revoke',
  rotate: 'accord.cmd.token.rotate',
  setPolicy: 'accord.cmd.token.set-policy',
  list: 'accord.query.token.list',
  verify: 'accord.query.token.verify',
  get: 'accord.query.token.get',
  policy: 'accord.query.token.policy',
} as const;
