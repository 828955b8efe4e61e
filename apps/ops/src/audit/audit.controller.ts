import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditSealer, listAuditRecords } from '@rabt/audit';
import type { AuditRecordItem, AuditVerifyAnswer, Items } from '@rabt/ops-contracts';
import type { OperatorPrincipal } from '../auth/roles';
import { CurrentOperator, RequireRole } from '../auth/session.guard';
import { OpsExceptionCode, opsError } from '../ops.exception';

/**
 * The audit trail (admin only): read it, and verify its chain against the anchors. An admin bound
 * to an agency reads only the records whose actor or subject is its agency or one of its
 * agency's operators, and may not verify the Rabt-wide chain (403 FORBIDDEN_AGENCY).
 */
@ApiTags('audit')
@Controller('v1/audit')
@RequireRole('admin')
export class AuditController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sealer: AuditSealer,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit records, newest first (those not sealed yet on top, with seq and hash null): query limit (≤500), before (a seq)' })
  async list(@CurrentOperator() admin: OperatorPrincipal, @Query('limit') limit?: string, @Query('before') before?: string): Promise<Items<AuditRecordItem>> {
    const n = limit === undefined || limit === '' ? 100 : Number(limit);
    const b = before === undefined || before === '' ? undefined : Number(before);
    const errors = [
      ...(!Number.isInteger(n) || n < 1 || n > 500 ? ['limit: a whole number from 1 to 500'] : []),
      ...(b !== undefined && (!Number.isInteger(b) || b < 1) ? ['before: a seq (a whole number from 1)'] : []),
    ];
    if (errors.length) throw opsError(OpsExceptionCode.INVALID_FILTER, errors.join('; '), { errors });
    const parties = admin.agency === null ? undefined : await this.partiesOf(admin.agency);
    return { items: await listAuditRecords(this.dataSource, { limit: n, ...(b !== undefined ? { before: b } : {}), ...(parties ? { parties } : {}) }) };
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Walk the chain and check it against the anchors: {ok, checked, firstBreak, anchor}' })
  async verify(@CurrentOperator() admin: OperatorPrincipal): Promise<AuditVerifyAnswer> {
    if (admin.agency !== null) throw opsError(OpsExceptionCode.FORBIDDEN_AGENCY, 'the audit chain is Rabt-wide: only a Rabt admin verifies it');
    const v = await this.sealer.verify();
    return { ok: v.ok, checked: v.checked, firstBreak: v.firstBreak, anchor: v.anchor, anchors: v.anchors, head: v.head, unsealed: v.unsealed };
  }

  /** The audit names of an agency: the agency itself and each of its operators. */
  private async partiesOf(agency: string): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT username FROM operator WHERE agency_code = $1`, [agency])) as { username: string }[];
    return [`agency:${agency}`, ...rows.map((r) => `operator:${r.username}`)];
  }
}
