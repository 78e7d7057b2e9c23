export * from './define.ts';
export { readSettings } from './read.ts';
export { HTTP_TIMEOUT_MS } from './http.ts';
