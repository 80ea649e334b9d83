import { ManagedProjection } from '@accord/service-kit';
import { membershipProjection } from './membership.projection';

/** The membership read model, kept up to date for as long as the service runs. */
export class MembershipReadModel extends ManagedProjection(membershipProjection) {}
