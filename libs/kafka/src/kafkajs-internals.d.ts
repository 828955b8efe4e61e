// kafkajs's own module that drops the records of aborted transactions (patched by
// patches/kafkajs+2.2.4.patch); typed here for the probe in kafkajs.patch.ts.
declare module 'kafkajs/src/consumer/filterAbortedMessages' {
  interface AbortFilterMessage {
    readonly offset: string;
    readonly key: Buffer | null;
    readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
  }
  const filterAbortedMessages: <M extends AbortFilterMessage>(input: { messages: M[]; abortedTransactions: { producerId: string; firstOffset: string }[] }) => M[];
  export default filterAbortedMessages;
}
