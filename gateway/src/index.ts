export * from './auth.js';
export * from './cors.js';
export * from './explorer.js';
export * from './gateway.js';
export * from './limits.js';
export * from './resilience.js';
export * from './supergraph.js';
export * from './trusted-documents.js';
