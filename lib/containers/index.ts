export * from './secure-model-repository';
export * from './existing-repository-hardening';
