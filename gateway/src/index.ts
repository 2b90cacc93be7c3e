export * from './auth.js';
export * from './gateway.js';
export * from './limits.js';
export * from './supergraph.js';
