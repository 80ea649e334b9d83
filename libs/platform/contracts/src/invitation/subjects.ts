/** Request/reply subjects of the invitation service. */
export const invitationSubjects = {
  shareAccess: 'accord.cmd.invitation.share-access',
  acceptInvitation: 'accord.cmd.invitation.accept-invitation',
  acceptByToken: 'accord.cmd.invitation.accept-by-token',
  declineInvitation: 'accord.cmd.invitation.decline-invitation',
  resendInvitation: 'accord.cmd.invitation.resend-invitation',
  revokeInvitation: 'accord.cmd.invitation.revoke-invitation',
  changeSettings: 'accord.cmd.invitation.change-settings',
  addRecipients: 'accord.cmd.invitation.add-recipients',
  renameAccess: 'accord.cmd.invitation.rename-access',
  revokeAccess: 'accord.cmd.invitation.revoke-access',
  invitationByToken: 'accord.query.invitation.invitation-by-token',
  accessesOfAccount: 'accord.query.invitation.accesses-of-account',
  invitationsForEmail: 'accord.query.invitation.invitations-for-email',
  inviteesOfAccount: 'accord.query.invitation.invitees-of-account',
  access: 'accord.query.invitation.access',
  settings: 'accord.query.invitation.settings',
} as const;
