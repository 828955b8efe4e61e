import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CurrentSessionAnswer, SessionAnswer, SessionOperator } from '@rabt/ops-contracts';
import { OpsAudit } from '../audit/ops-audit';
import { OpsConfig } from '../config/ops.config';
import { actorOf, type OperatorPrincipal } from './roles';
import { CurrentOperator, PublicRoute, SESSION_COOKIE, sessionTokenOf, type OperatorRequest } from './session.guard';
import { SessionsRepository } from './sessions.repository';
import { SignInService } from './sign-in.service';

export const principalView = (p: OperatorPrincipal): SessionOperator => ({ username: p.username, displayName: p.displayName, role: p.role, agency: p.agency });

@ApiTags('session')
@Controller('v1/session')
export class SessionController {
  constructor(
    private readonly signIns: SignInService,
    private readonly sessions: SessionsRepository,
    private readonly audit: OpsAudit,
    private readonly config: OpsConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @PublicRoute()
  @ApiOperation({
    summary: 'Sign in: {username, password} → {expiresAt, operator}; the token only in the HttpOnly rabt_ops_session cookie; 401 INVALID_CREDENTIALS (also for a locked or disabled account), 429 RATE_LIMITED',
  })
  async signIn(@Body() body: { username?: unknown; password?: unknown } | undefined, @Req() request: OperatorRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionAnswer> {
    const signedIn = await this.signIns.signIn(body?.username, body?.password, request.ip);
    void reply.setCookie(SESSION_COOKIE, signedIn.token, { httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.cookieSecure, expires: signedIn.expiresAt });
    return { expiresAt: signedIn.expiresAt.toISOString(), operator: signedIn.operator };
  }

  @Get()
  @ApiOperation({ summary: 'The signed-in operator' })
  current(@CurrentOperator() operator: OperatorPrincipal): CurrentSessionAnswer {
    return { operator: principalView(operator) };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out (ends the session)' })
  async signOut(@CurrentOperator() operator: OperatorPrincipal, @Req() request: OperatorRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = sessionTokenOf(request);
    if (token) await this.sessions.end(token);
    await this.audit.record({ actor: actorOf(operator), action: 'operator.signed-out', subject: actorOf(operator) });
    void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: this.config.cookieSecure });
  }
}
