export * from './private-inference-endpoint';
