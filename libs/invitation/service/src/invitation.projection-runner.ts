import { ManagedProjection } from '@accord/service-kit';
import { invitationProjection } from './invitation.projection';

/** The invitation read model, kept up to date for as long as the service runs. */
export class InvitationReadModel extends ManagedProjection(invitationProjection) {}
