import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@rabt/config';

export interface KafkaLogSink {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** kafkajs logs through the app's logger (pino in services), never to stdout on its own. */
export function createKafka(config: KafkaConfig, log?: KafkaLogSink, overrides: { retries?: number; connectionTimeoutMs?: number } = {}): Kafka {
  const sasl: SASLOptions | undefined = config.sasl
    ? ({ mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password } as SASLOptions)
    : undefined;
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    ssl: config.tls ? { ...config.tls } : config.ssl,
    ...(sasl ? { sasl } : {}),
    connectionTimeout: overrides.connectionTimeoutMs ?? 3000,
    retry: { retries: overrides.retries ?? 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: log ? logLevel.INFO : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      if (!log) return;
      const { message, ...rest } = entry.log;
      const obj = { kafka: { namespace: entry.namespace, ...rest } };
      switch (entry.level) {
        case logLevel.ERROR:
          log.error(obj, message);
          break;
        case logLevel.WARN:
          log.warn(obj, message);
          break;
        case logLevel.INFO:
          log.info(obj, message);
          break;
        case logLevel.DEBUG:
        case logLevel.NOTHING:
          log.debug(obj, message);
          break;
      }
    },
  });
}
