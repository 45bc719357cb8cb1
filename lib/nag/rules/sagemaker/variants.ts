import { Subject, asList, flatten, mentions } from '../values';

/** The production variants of a rendered endpoint config (empty when not a literal list). */
export function variantsOf(s: Subject): any[] {
  const variants = s.r.props.ProductionVariants;
  return Array.isArray(variants) ? variants : [];
}

/**
 * Whether an endpoint config is serverless only: every production variant has a
 * ServerlessConfig. Serverless Inference supports no data capture, VPC configuration or
 * network isolation, so rules must not demand them there (Amazon SageMaker Developer Guide,
 * "Deploy models with Amazon SageMaker Serverless Inference", feature exclusions:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html).
 */
export function onlyServerless(s: Subject): boolean {
  const variants = variantsOf(s);
  return variants.length > 0 && variants.every((v) => v?.ServerlessConfig !== undefined);
}

/**
 * Whether a model is served, in this app, only by serverless variants: at least one endpoint
 * config of the app names it, and every variant that names it has a ServerlessConfig.
 */
export function servedOnlyServerless(s: Subject): boolean {
  const using = s.index.ofType('AWS::SageMaker::EndpointConfig').flatMap((config) => asList(config.props.ProductionVariants)
    .filter((v: any) => mentions(flatten(s.index, config.stack, v?.ModelName), s.r)
      || (typeof v?.ModelName === 'string' && v.ModelName === s.r.props.ModelName)));
  return using.length > 0 && using.every((v: any) => v?.ServerlessConfig !== undefined);
}

/**
 * ML instance families with local (NVMe instance store) storage: the families with a `d`
 * (m5d, c5d, r5d, g4dn, p3dn, p4d, p4de, m6id...) and the GPU/Trainium families whose every
 * size has instance store volumes (g5, g6, g6e, p5, trn1). Their local storage is encrypted by
 * a hardware module, and CreateEndpointConfig rejects a KmsKeyId with them (Amazon SageMaker
 * API Reference, CreateEndpointConfig, KmsKeyId; Amazon EC2 "Instance store volumes").
 */
export const LOCAL_STORAGE = /^ml\.([a-z]+\d+[a-z]*d[a-z]*|g5|g6|g6e|p5|p5e|p5en|trn1|trn1n)\./;

/** The variants whose instance type has local storage. */
export function localStorageVariants(s: Subject): any[] {
  return variantsOf(s).filter((v) => typeof v?.InstanceType === 'string' && LOCAL_STORAGE.test(v.InstanceType));
}
