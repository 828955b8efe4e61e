import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createOperator, listOperators, unlockOperator, type NewOperator } from '@rabt/auth';
import type { Items, Operator } from '@rabt/ops-contracts';
import { OpsAudit } from '../audit/ops-audit';
import { actorOf, type OperatorPrincipal } from '../auth/roles';
import { CurrentOperator, RequireRole, requireReason } from '../auth/session.guard';

/** Operator accounts (admin only). Every change is audited with its reason. */
@ApiTags('operators')
@Controller('v1/operators')
@RequireRole('admin')
export class OperatorsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: OpsAudit,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every operator account' })
  async list(): Promise<Items<Operator>> {
    return { items: await listOperators(this.dataSource.manager) };
  }

  @Post()
  @ApiOperation({ summary: 'Create an account: {username, displayName, role, agency?, password, reason}' })
  async create(@CurrentOperator() admin: OperatorPrincipal, @Body() body: (Partial<NewOperator> & { reason?: unknown }) | undefined): Promise<Operator> {
    const reason = requireReason(body);
    return this.dataSource.transaction(async (m) => {
      const created = await createOperator(m, {
        username: String(body?.username ?? ''),
        role: String(body?.role ?? ''),
        password: typeof body?.password === 'string' ? body.password : '',
        ...(typeof body?.displayName === 'string' ? { displayName: body.displayName } : {}),
        ...(typeof body?.agency === 'string' ? { agency: body.agency } : {}),
      });
      await this.audit.record({ actor: actorOf(admin), action: 'operator.created', subject: actorOf(created), reason, details: { role: created.role, agency: created.agency } }, m);
      return created;
    });
  }

  @Post(':username/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlock an account locked after wrong passwords: {reason}' })
  async unlock(@CurrentOperator() admin: OperatorPrincipal, @Param('username') username: string, @Body() body: unknown): Promise<Operator> {
    const reason = requireReason(body);
    return this.dataSource.transaction(async (m) => {
      const { operator } = await unlockOperator(m, username);
      await this.audit.record({ actor: actorOf(admin), action: 'operator.unlocked', subject: actorOf(operator), reason }, m);
      return operator;
    });
  }
}
