export * from './secure-training-bucket';
