export * from './auth.js';
export * from './compose.js';
export * from './gateway.js';
export * from './runtime.js';
export * from './subgraphs.js';
