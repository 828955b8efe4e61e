import { CreateAgency1764480000000 } from './1764480000000-create-agency';
import { CreateAgencyApiKey1764480100000 } from './1764480100000-create-agency-api-key';
import { CreateSchemaRegistry1764480200000 } from './1764480200000-create-schema-registry';
import { CreateGrantsAndGatewayEvents1764480300000 } from './1764480300000-create-grants-and-gateway-events';
import { CreateSubscriptions1764480400000 } from './1764480400000-create-subscriptions';
import { CreateDeliveries1764480500000 } from './1764480500000-create-deliveries';
import { ClaimDeliveriesBySubscription1764480550000 } from './1764480550000-claim-deliveries-by-subscription';
import { CreateWorkflowTransactions1764480600000 } from './1764480600000-create-workflow-transactions';
import { CreateAuditLog1764480700000 } from './1764480700000-create-audit-log';
import { CreateOperatorsAndReplays1764480800000 } from './1764480800000-create-operators-and-replays';
import { DueIndexApartFromKeyLookups1764480900000 } from './1764480900000-due-index-apart-from-key-lookups';
import { OperatorLockBoxAndDisable1765300000001 } from './1765300000001-operator-lock-box-and-disable';
import { SchemaIdSequence1765200000001 } from './1765200000001-schema-id-sequence';
import { WorkflowEventRefusedAndExpired1765500000001 } from './1765500000001-workflow-event-refused-and-expired';
import { CreateAgencyCertificate1765600000001 } from './1765600000001-create-agency-certificate';
import { ApiKeyPepperVersionAndExpiry1765700000001 } from './1765700000001-api-key-pepper-version-and-expiry';
import { ServiceRoleGrants1765800000001 } from './1765800000001-service-role-grants';

/** Every migration, oldest first. A new migration is added here and nowhere else. */
export const MIGRATIONS = [
  CreateAgency1764480000000,
  CreateAgencyApiKey1764480100000,
  CreateSchemaRegistry1764480200000,
  CreateGrantsAndGatewayEvents1764480300000,
  CreateSubscriptions1764480400000,
  CreateDeliveries1764480500000,
  ClaimDeliveriesBySubscription1764480550000,
  CreateWorkflowTransactions1764480600000,
  CreateAuditLog1764480700000,
  CreateOperatorsAndReplays1764480800000,
  DueIndexApartFromKeyLookups1764480900000,
  SchemaIdSequence1765200000001,
  OperatorLockBoxAndDisable1765300000001,
  WorkflowEventRefusedAndExpired1765500000001,
  CreateAgencyCertificate1765600000001,
  ApiKeyPepperVersionAndExpiry1765700000001,
  ServiceRoleGrants1765800000001,
];
