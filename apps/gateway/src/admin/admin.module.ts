import { Module } from '@nestjs/common';
import { AuthModule } from '@rabt/auth';
import { AgenciesController } from './agencies.controller';
import { GrantsController } from './grants.controller';
import { KeyExpiryMetrics } from './key-expiry.metrics';
import { RegistryAdminService } from './registry-admin.service';

/**
 * The agency registry's HTTP surface: agencies and keys (admin keys only) and grants (type
 * owners and admins). Authentication is the app-wide BearerAuthGuard.
 */
@Module({
  imports: [AuthModule],
  controllers: [AgenciesController, GrantsController],
  providers: [RegistryAdminService, KeyExpiryMetrics],
})
export class AdminModule {}
