export * from './runtime.js';
export * from './subgraphs.js';
