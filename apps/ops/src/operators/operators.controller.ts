import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { createOperator, disableOperator, enableOperator, listOperators, revokeOperatorSessions, unlockOperator, type NewOperator, type OperatorScope } from '@rabt/auth';
import type { Items, Operator, OperatorActionAnswer } from '@rabt/ops-contracts';
import { OpsAudit } from '../audit/ops-audit';
import { actorOf, hasRole, type OperatorPrincipal } from '../auth/roles';
import { CurrentOperator, RequireRole, requireReason } from '../auth/session.guard';
import { OpsExceptionCode, opsError } from '../ops.exception';

const scopeOf = (admin: OperatorPrincipal): OperatorScope => ({ agency: admin.agency });

/**
 * Operator accounts (admin only). A Rabt-wide admin manages every account; an admin bound to an
 * agency sees and manages only its agency's accounts (others are OPERATOR_NOT_FOUND), and creates
 * accounts of its agency only, with a role no higher than its own. An admin does not disable
 * itself. Every change is audited with its reason.
 */
@ApiTags('operators')
@Controller('v1/operators')
@RequireRole('admin')
export class OperatorsController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: OpsAudit,
  ) {}

  @Get()
  @ApiOperation({ summary: "Operator accounts (an agency-bound admin: its agency's)" })
  async list(@CurrentOperator() admin: OperatorPrincipal): Promise<Items<Operator>> {
    return { items: await listOperators(this.dataSource.manager, scopeOf(admin)) };
  }

  @Post()
  @ApiOperation({ summary: 'Create an account: {username, displayName, role, agency?, password, reason}; an agency-bound admin: of its agency, role at most its own' })
  async create(@CurrentOperator() admin: OperatorPrincipal, @Body() body: (Partial<NewOperator> & { reason?: unknown }) | undefined): Promise<Operator> {
    const reason = requireReason(body);
    const role = String(body?.role ?? '');
    const agency = typeof body?.agency === 'string' ? body.agency : body?.agency === null ? null : undefined;
    if (admin.agency !== null) {
      if (agency !== admin.agency) throw opsError(OpsExceptionCode.FORBIDDEN_AGENCY, `an admin of agency ${admin.agency} creates accounts of agency ${admin.agency} only: send "agency": "${admin.agency}"`);
      if ((role === 'viewer' || role === 'operator' || role === 'admin') && !hasRole(admin.role, role)) throw opsError(OpsExceptionCode.FORBIDDEN_ROLE, `an account may not be given a role above its creator's (${admin.role})`);
    }
    return this.dataSource.transaction(async (m) => {
      const created = await createOperator(m, {
        username: String(body?.username ?? ''),
        role,
        password: typeof body?.password === 'string' ? body.password : '',
        ...(typeof body?.displayName === 'string' ? { displayName: body.displayName } : {}),
        ...(agency !== undefined ? { agency } : {}),
      });
      await this.audit.record({ actor: actorOf(admin), action: 'operator.created', subject: actorOf(created), reason, details: { role: created.role, agency: created.agency } }, m);
      return created;
    });
  }

  @Post(':username/unlock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlock an account locked after wrong passwords at once: {reason}' })
  async unlock(@CurrentOperator() admin: OperatorPrincipal, @Param('username') username: string, @Body() body: unknown): Promise<Operator> {
    const reason = requireReason(body);
    return this.act(async (m) => {
      const { operator, wasLocked } = await unlockOperator(m, username, scopeOf(admin));
      await this.audit.record({ actor: actorOf(admin), action: 'operator.unlocked', subject: actorOf(operator), reason, details: { wasLocked } }, m);
      return operator;
    });
  }

  @Post(':username/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an account and end its sessions at once: {reason} → {operator, sessionsEnded}' })
  async disable(@CurrentOperator() admin: OperatorPrincipal, @Param('username') username: string, @Body() body: unknown): Promise<OperatorActionAnswer> {
    const reason = requireReason(body);
    if (typeof username === 'string' && username.toLowerCase() === admin.username) throw opsError(OpsExceptionCode.INVALID_REQUEST, 'an admin does not disable its own account (ask another admin)');
    return this.act(async (m) => {
      const { operator, sessionsEnded, wasDisabled } = await disableOperator(m, username, scopeOf(admin));
      await this.audit.record({ actor: actorOf(admin), action: 'operator.disabled', subject: actorOf(operator), reason, details: { sessionsEnded, wasDisabled } }, m);
      return { operator, sessionsEnded };
    });
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account: {reason}' })
  async enable(@CurrentOperator() admin: OperatorPrincipal, @Param('username') username: string, @Body() body: unknown): Promise<Operator> {
    const reason = requireReason(body);
    return this.act(async (m) => {
      const { operator, wasDisabled } = await enableOperator(m, username, scopeOf(admin));
      await this.audit.record({ actor: actorOf(admin), action: 'operator.enabled', subject: actorOf(operator), reason, details: { wasDisabled } }, m);
      return operator;
    });
  }

  @Post(':username/revoke-sessions')
  @HttpCode(200)
  @ApiOperation({ summary: 'End every session of an account at once (it may sign in again): {reason} → {operator, sessionsEnded}' })
  async revokeSessions(@CurrentOperator() admin: OperatorPrincipal, @Param('username') username: string, @Body() body: unknown): Promise<OperatorActionAnswer> {
    const reason = requireReason(body);
    return this.act(async (m) => {
      const { operator, sessionsEnded } = await revokeOperatorSessions(m, username, scopeOf(admin));
      await this.audit.record({ actor: actorOf(admin), action: 'operator.sessions-revoked', subject: actorOf(operator), reason, details: { sessionsEnded } }, m);
      return { operator, sessionsEnded };
    });
  }

  private act<T>(action: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(action);
  }
}
