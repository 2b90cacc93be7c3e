export * from './backup.js';
export * from './database.js';
export * from './env.js';
export * from './migrator.js';
export * from './roles.js';
export * from './slices.js';
export * from './tenancy.js';
export * from './tracing.js';
