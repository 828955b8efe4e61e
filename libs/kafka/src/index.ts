export * from './cloudevents.binding';
export * from './event.consumer';
export * from './event.producer';
export * from './kafka.client';
export * from './kafka.health';
export * from './kafka.module';
export * from './topic.admin';
