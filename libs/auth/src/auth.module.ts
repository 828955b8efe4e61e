import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgencyApiKeyEntity, AgencyCertificateEntity, AgencyEntity, AgencyGrantEntity } from '@rabt/persistence';
import { AgencyCertificatesService } from './agency-certificates.service';
import { AgencyKeysService } from './agency-keys.service';
import { GrantsService } from './grants.service';

/** Needs PersistenceModule and an AuthConfig provider (authFragment) in the app. */
@Module({
  imports: [TypeOrmModule.forFeature([AgencyApiKeyEntity, AgencyCertificateEntity, AgencyEntity, AgencyGrantEntity])],
  providers: [AgencyKeysService, AgencyCertificatesService, GrantsService],
  exports: [AgencyKeysService, AgencyCertificatesService, GrantsService],
})
export class AuthModule {}
