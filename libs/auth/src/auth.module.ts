import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgencyApiKeyEntity, AgencyEntity } from '@rabt/persistence';
import { AgencyKeysService } from './agency-keys.service';

/** Needs PersistenceModule and an AuthConfig provider (authFragment) in the app. */
@Module({
  imports: [TypeOrmModule.forFeature([AgencyApiKeyEntity, AgencyEntity])],
  providers: [AgencyKeysService],
  exports: [AgencyKeysService],
})
export class AuthModule {}
