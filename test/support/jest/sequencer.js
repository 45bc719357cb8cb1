// Jest's default order (slowest first, from the timings of earlier runs; by file size on a fresh
// clone, as in CI), except that the install matrix starts first: it waits on the npm registry
// and the disk for most of its two minutes, so it overlaps with the synthesis-bound files
// instead of running alone at the end.
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = ['test/package/consumer.test.ts'];

class InstallFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (test) => {
      const i = FIRST.findIndex((f) => test.path.endsWith(f));
      return i === -1 ? FIRST.length : i;
    };
    // Array.prototype.sort is stable: the default order holds among the rest
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = InstallFirstSequencer;
