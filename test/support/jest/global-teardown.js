// Removes what the run shared between test files (see global-setup.js).
'use strict';
const fs = require('fs');

module.exports = async () => {
  const dir = process.env.CDK_SECURE_AI_TEST_RUN_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
