export * from './secure-model-repository';
