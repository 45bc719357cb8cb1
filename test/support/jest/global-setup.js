// Runs once before a Jest run, in the parent process: names the run, so that test files in any
// worker can share work done once per run (test/support/example-synth.ts). Workers inherit the
// environment variable.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-secure-ai-test-run-'));
  process.env.CDK_SECURE_AI_TEST_RUN_DIR = dir;
};
