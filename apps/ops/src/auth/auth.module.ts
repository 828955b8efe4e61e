import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { OperatorsController } from '../operators/operators.controller';
import { OperatorSessionGuard } from './session.guard';
import { SessionController } from './session.controller';
import { SessionsRepository } from './sessions.repository';
import { SignInFailureAudit } from './sign-in-failures.audit';
import { SignInService } from './sign-in.service';

/** Operators sign in (sessions, rate limits, lockout) and their accounts; every /v1 route is guarded by session and role. */
@Module({
  controllers: [SessionController, OperatorsController],
  providers: [SessionsRepository, SignInService, SignInFailureAudit, { provide: APP_GUARD, useClass: OperatorSessionGuard }],
})
export class OpsAuthModule {}
