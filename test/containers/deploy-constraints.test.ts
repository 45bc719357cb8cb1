import { Stack } from 'aws-cdk-lib';
import { SecureModelRepository } from '../../lib';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';

/** Deploy-time constraints of SecureModelRepository's resources (docs/deploy-constraints/network-identity-containers.md). */
describe('SecureModelRepository deploy-time constraints', () => {
  test.each([
    ['uppercase', 'ML/Inference'],
    ['one character', 'a'],
    ['a double separator', 'ml//inference'],
    ['a trailing separator', 'ml-'],
    ['257 characters', 'a'.repeat(257)],
  ])('C-ECR-1: a repositoryName with %s is refused', (_why, repositoryName) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Images');
    expectInvalidProp(() => new SecureModelRepository(stack, 'Repo', { repositoryName }), 'Images/Repo', /`repositoryName`.*C-ECR-1; Amazon ECR API reference, CreateRepository/);
  });

  test.each(['ml/inference/sentiment', 'model_images.v2', 'ab'])('C-ECR-1: %s passes', (repositoryName) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Images');
    expect(() => new SecureModelRepository(stack, 'Repo', { repositoryName })).not.toThrow();
  });
});
