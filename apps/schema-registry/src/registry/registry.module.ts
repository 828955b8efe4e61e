import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@rabt/audit';
import { AuthModule } from '@rabt/auth';
import { RegistryAuthGuard } from '../auth/registry-auth.guard';
import { CompatibilityController, ConfigController, ModeController, RootController, SchemasController, SubjectsController } from './registry.controllers';
import { RegistryRepository } from './registry.repository';
import { RegistryService } from './registry.service';
import { RegistrySettingsService } from './registry-settings.service';

/** The Confluent Schema Registry REST API over Postgres. */
@Module({
  imports: [AuthModule, AuditModule],
  controllers: [RootController, SchemasController, SubjectsController, CompatibilityController, ConfigController, ModeController],
  providers: [RegistryRepository, RegistryService, RegistrySettingsService, { provide: APP_GUARD, useClass: RegistryAuthGuard }],
})
export class RegistryModule {}
