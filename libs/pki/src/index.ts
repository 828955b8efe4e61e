export * from './agency-kafka-access';
export * from './certificate-authority';
export * from './certificate-identity';
export * from './ca.config';
