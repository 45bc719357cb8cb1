/**
 * The scoped Control Tower validator now ships with the library (lib/compliance): this module
 * keeps the example app's import path.
 */
export { ControlTowerGuardValidator } from '../lib';
