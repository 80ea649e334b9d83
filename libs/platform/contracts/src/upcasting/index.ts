export { CURRENT_SCHEMA_VERSION, UPCASTERS, currentSchemaVersion, upcastStepsOf } from './registry';
export { upcast } from './upcast';
export type { UpcastStep } from './upcast-step';
