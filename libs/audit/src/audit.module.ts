import { Module } from '@nestjs/common';
import { AuditSealer } from './audit.sealer';
import { AuditTrail } from './audit.trail';

/**
 * AuditTrail for writers; AuditSealer, which seals and anchors only where AuditConfig (from
 * auditFragment) says so, and verifies on demand. Needs the persistence module's DataSource, and
 * KafkaModule where the sealer runs or verifies.
 */
@Module({
  providers: [AuditTrail, AuditSealer],
  exports: [AuditTrail, AuditSealer],
})
export class AuditModule {}
