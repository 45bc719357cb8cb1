// Jest maps `@aws/cloudformation-validate` (aws-cdk-lib's CloudFormation schema validation) to
// this module: the copy the worker already loaded, with its engines shared between test files
// (see environment.js for why and what is shared).
'use strict';
const worker = globalThis.__cdkSecureAiWorker;
if (!worker) {
  throw new Error('test/support/jest/environment.js is not the test environment: the shared CloudFormation validator is unavailable');
}
module.exports = worker.cloudFormationValidate();
