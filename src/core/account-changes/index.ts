export * from './checks.js';
export * from './documents.js';
export * from './risk.js';
export * from './state.js';
