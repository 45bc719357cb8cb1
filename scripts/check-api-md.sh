#!/usr/bin/env bash
# In CI, fail when the committed API.md differs from the one jsii-docgen just generated.
set -euo pipefail
if [ -n "${CI:-}" ] && ! git diff --exit-code --stat -- API.md; then
  echo "API.md is stale: run 'npm test' (or 'npx projen docgen') locally and commit API.md" >&2
  exit 1
fi
