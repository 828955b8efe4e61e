export * from './stack';
export * from './processes';
export * from './simulated-agencies';
export * from './postgres-server';
export * from './pki';
