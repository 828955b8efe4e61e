import { AgencyApiKeyEntity } from './agency/agency-api-key.entity';
import { AgencyCertificateEntity } from './agency/agency-certificate.entity';
import { AgencyGrantEntity } from './agency/agency-grant.entity';
import { AgencyEntity } from './agency/agency.entity';
import { AuditRecordEntity } from './audit/audit-record.entity';
import { DeadLetterEntity } from './delivery/dead-letter.entity';
import { DeliveryAttemptEntity } from './delivery/delivery-attempt.entity';
import { DeliveryEntity } from './delivery/delivery.entity';
import { AcceptedEventEntity } from './gateway/accepted-event.entity';
import { SubscriptionEntity } from './subscription/subscription.entity';
import { OPS_ENTITIES } from './ops/ops.entities';
import { WORKFLOW_ENTITIES } from './workflow/workflow.entities';
import { RegistrySchemaEntity, RegistrySettingEntity, RegistrySubjectVersionEntity } from './schema-registry/registry.entities';

/** Every entity the shared schema maps. */
export const ENTITIES = [
  AgencyEntity,
  AgencyApiKeyEntity,
  AgencyCertificateEntity,
  AgencyGrantEntity,
  AcceptedEventEntity,
  RegistrySchemaEntity,
  RegistrySubjectVersionEntity,
  RegistrySettingEntity,
  SubscriptionEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  DeadLetterEntity,
  ...WORKFLOW_ENTITIES,
  AuditRecordEntity,
  ...OPS_ENTITIES,
];
