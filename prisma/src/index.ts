export * from './database.js';
export * from './env.js';
export * from './migrator.js';
export * from './seed/demo.js';
export * from './slices.js';
