/** Request/reply subjects of the invitation service. */
export const invitationSubjects = {
  shareAccess: 'accord.cmd.invitation.share-access',
  acceptInvitation: 'accord.cmd.invitation.accept-invitation',
  acceptByToken: 'accord.cmd.invitation.accept-by-token',
  declineInvitation: 'accord.cmd.invitation.decline-invitation',
  resendInvitation: 'accord.cmd.invitation.resend-invitation',
  revokeInvitation: 'accord.cmd.invitation.revoke-invitation',
  changeSettings: 'accord.cmd.invitation.change-settings',
  invitationByToken: 'accord.query.invitation.invitation-by-token',
  accessesOfAccount: 'accord.query.invitation.accesses-of-account',
  invitationsForEmail: 'accord.query.invitation.invitations-for-email',
} as const;
