import { AgencyApiKeyEntity } from './agency/agency-api-key.entity';
import { AgencyEntity } from './agency/agency.entity';
import { RegistrySchemaEntity, RegistrySettingEntity, RegistrySubjectVersionEntity } from './schema-registry/registry.entities';

/** Every entity the shared schema maps. */
export const ENTITIES = [AgencyEntity, AgencyApiKeyEntity, RegistrySchemaEntity, RegistrySubjectVersionEntity, RegistrySettingEntity];
