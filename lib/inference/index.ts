export * from './props';
export * from './secure-model-endpoint';
export * from './private-inference-api';
export * from './private-inference-endpoint';
