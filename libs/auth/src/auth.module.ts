import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgencyApiKeyEntity, AgencyEntity, AgencyGrantEntity } from '@rabt/persistence';
import { AgencyKeysService } from './agency-keys.service';
import { GrantsService } from './grants.service';

/** Needs PersistenceModule and an AuthConfig provider (authFragment) in the app. */
@Module({
  imports: [TypeOrmModule.forFeature([AgencyApiKeyEntity, AgencyEntity, AgencyGrantEntity])],
  providers: [AgencyKeysService, GrantsService],
  exports: [AgencyKeysService, GrantsService],
})
export class AuthModule {}
