export * from './database.js';
export * from './env.js';
export * from './migrator.js';
export * from './seed/index.js';
export * from './slices.js';
