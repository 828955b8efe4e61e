import { Global, Module } from '@nestjs/common';
import { OpsAudit } from './ops-audit';

/** The audit door (OpsAudit) for every module of the ops service. */
@Global()
@Module({ providers: [OpsAudit], exports: [OpsAudit] })
export class OpsAuditModule {}
