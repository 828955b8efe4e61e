// CloudEvents attributes as Rabt carries them, shared by the Kafka binding and the agency SDK. Type-only.

/** The CloudEvents attributes Rabt uses: the spec's own plus the `transactionid`, `traceparent` and `partitionkey` extensions. */
export interface RabtEventAttributes {
  readonly id: string;
  /** `urn:rabt:agency:<code>` of the publishing agency. */
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  /** RFC 3339; the gateway sets it when the publisher did not. */
  readonly time?: string;
  readonly datacontenttype?: string;
  /** Registry URL of the schema the data was encoded with (`…/schemas/ids/<id>`). */
  readonly dataschema?: string;
  /** The cross-agency transaction the event belongs to. */
  readonly transactionid?: string;
  readonly traceparent?: string;
  /** The value of the type's partition key field; the Kafka record key. */
  readonly partitionkey?: string;
}
