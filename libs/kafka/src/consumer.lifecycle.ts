import type { Consumer } from 'kafkajs';

/**
 * Resolves at the consumer's first group join. Rejects when it crashed and kafkajs will not
 * restart it (a non-retriable error, or `retry.restartOnFailure` said no), so a start never
 * waits forever for a join that cannot come. Make it before `connect()`.
 */
export function firstJoin(consumer: Consumer): Promise<void> {
  const joined = new Promise<void>((resolve, reject) => {
    const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
      offJoin();
      offCrash();
      resolve();
    });
    const offCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      offJoin();
      offCrash();
      reject(payload.error);
    });
  });
  joined.catch(() => undefined); // a start that failed before run() never awaits it
  return joined;
}

/**
 * Calls `onFatal` when the consumer crashed for good while it was meant to run (`stopping()` is
 * false): kafkajs will not restart it, so it consumes nothing more until the service restarts.
 */
export function onFatalCrash(consumer: Consumer, stopping: () => boolean, onFatal: (error: Error) => void): void {
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart && !stopping()) onFatal(payload.error);
  });
}
