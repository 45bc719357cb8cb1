/**
 * jsii-docgen prints a method's return type without its optionality (its TypeScript transpiler reads
 * `returns.type` and ignores `returns.optional`), so `interfaceEndpoint(): InterfaceVpcEndpoint | undefined`
 * appears in API.md as returning `InterfaceVpcEndpoint`. This step adds `| undefined` to the
 * signature of every method the jsii assembly marks as returning an optional value.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
const file = path.join(root, 'API.md');
let text = fs.readFileSync(file, 'utf8');
for (const type of Object.values<any>(assembly.types)) {
  for (const method of type.methods ?? []) {
    if (!method.returns?.optional) continue;
    const signature = new RegExp(`^(public (?:static )?${method.name}\\(.*\\): [^\\n|]+?)$`, 'gm');
    text = text.replace(signature, '$1 | undefined');
  }
}
fs.writeFileSync(file, text);
