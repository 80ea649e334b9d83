import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type MemberView, type Role, type Scope } from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';

export class MemberViewDoc implements MemberView {
  @ApiProperty() readonly userId!: string;
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ enum: ['active'] }) readonly status!: 'active';
  @ApiProperty() readonly isRootOwner!: boolean;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ format: 'date-time' }) readonly joinedAt!: string;
}
