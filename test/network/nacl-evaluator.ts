// The NACL evaluator moved to the path-proof harness (test/support/paths/nacl.ts), which walks
// every layer of a path; this module keeps the old import path working.
export * from '../support/paths/nacl';
