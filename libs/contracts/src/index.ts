// @rabt/contracts: the event catalogue as TypeScript, generated from schemas/. Browser-safe: nothing
// here may import a Node module (the generator is @rabt/contracts/codegen).
export * from './catalogue';
export type * from './cloudevent.attributes';
export type * from './catalogue.types';
export * from './generated/catalogue.generated';
export * from './registry.push';
