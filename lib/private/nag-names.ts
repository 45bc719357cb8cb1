/**
 * A resolved CloudFormation value written the way cdk-nag names it in a finding ID, for example
 * the resource of `AwsSolutions-IAM5[Resource::<MyBucket.Arn>/data/*]`: `{ Ref: X }` → `<X>`,
 * `{ Fn::GetAtt: [X, Arn] }` → `<X.Arn>`, `Fn::Join` joined, `${X}` in an `Fn::Sub` string → `<X>`.
 * Give it `Stack.of(scope).resolve(value)`.
 */
export function nagName(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return (items as unknown[]).map(nagName).join(delimiter);
  }
  if (node['Fn::Sub']) return nagName(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${nagName(resource)}.${nagName(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return nagName(node['Fn::ImportValue']);
  if (node.Ref) return `<${nagName(node.Ref)}>`;
  return JSON.stringify(node);
}
