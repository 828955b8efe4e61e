export * from './ops-api.lists';
export * from './ops-api.types';
