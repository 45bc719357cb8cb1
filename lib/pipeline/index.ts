export * from './secure-delivery-pipeline';
export * from './model-image-build';
