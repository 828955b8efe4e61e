/**
 * Grants and revokes an agency certificate's Kafka ACLs (pull mode: read its inbox, its own
 * consumer groups). Issuing an agency certificate grants; revoking it revokes exactly that
 * certificate's principal. The kafkajs implementation lives with the Kafka ACL code; this
 * interface is what certificate issue and revoke call.
 */
export interface AgencyKafkaAccess {
  grant(agency: string, principal: string): Promise<void>;
  revoke(principal: string): Promise<void>;
}

/** Does nothing: for deployments whose broker does not authorise per agency. */
export const NO_AGENCY_KAFKA_ACCESS: AgencyKafkaAccess = {
  grant: async () => undefined,
  revoke: async () => undefined,
};

/** Remembers what it was asked, for tests. */
export class RecordingAgencyKafkaAccess implements AgencyKafkaAccess {
  readonly calls: ({ op: 'grant'; agency: string; principal: string } | { op: 'revoke'; principal: string })[] = [];

  async grant(agency: string, principal: string): Promise<void> {
    this.calls.push({ op: 'grant', agency, principal });
  }

  async revoke(principal: string): Promise<void> {
    this.calls.push({ op: 'revoke', principal });
  }
}
