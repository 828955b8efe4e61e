import { Global, Module } from '@nestjs/common';
import { AuditModule } from '@rabt/audit';
import { AuditController } from './audit.controller';
import { OpsAudit } from './ops-audit';

/** The audit door (OpsAudit) for every module of the ops service, and the audit API (admin). */
@Global()
@Module({
  imports: [AuditModule],
  controllers: [AuditController],
  providers: [OpsAudit],
  exports: [OpsAudit],
})
export class OpsAuditModule {}
