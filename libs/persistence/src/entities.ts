import { AgencyApiKeyEntity } from './agency/agency-api-key.entity';
import { AgencyGrantEntity } from './agency/agency-grant.entity';
import { AgencyEntity } from './agency/agency.entity';
import { AcceptedEventEntity } from './gateway/accepted-event.entity';
import { RegistrySchemaEntity, RegistrySettingEntity, RegistrySubjectVersionEntity } from './schema-registry/registry.entities';

/** Every entity the shared schema maps. */
export const ENTITIES = [
  AgencyEntity,
  AgencyApiKeyEntity,
  AgencyGrantEntity,
  AcceptedEventEntity,
  RegistrySchemaEntity,
  RegistrySubjectVersionEntity,
  RegistrySettingEntity,
];
