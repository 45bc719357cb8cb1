import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isTrue, listOf, literal } from '../values';

/**
 * A REST API stage that turns on execution logging needs the account's API Gateway CloudWatch
 * role (AWS::ApiGateway::Account) in the region; with none in the app the first deployment in a
 * fresh account fails ("CloudWatch Logs role ARN must be set in account settings to enable logging").
 */
export const PreflightApiGatewayAccountForLogging: AiSecRule = defineRule({
  name: 'PreflightApiGatewayAccountForLogging',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::ApiGateway::Stage'],
  info: 'The REST API stage turns on execution logging, but no AWS::ApiGateway::Account in the app sets the CloudWatch Logs role API Gateway needs.',
  rationale: 'API Gateway writes execution logs with an account-level IAM role set through AWS::ApiGateway::Account; in an account where it was never set, creating the stage fails and the stack rolls back. Declare the account settings in the app (aws-cdk-lib: RestApi cloudWatchRole: true), or acknowledge the finding where the account is known to have the role.',
  guide: 'Continuous Monitoring and Logging (execution logs that actually arrive)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'Amazon API Gateway Developer Guide, "Set up CloudWatch logging for REST APIs in API Gateway" (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html), "Permissions for CloudWatch logging"; AWS CloudFormation, AWS::ApiGateway::Account (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html)',
  judge: (s) => {
    const settings = listOf(s, s.r.props.MethodSettings, 'MethodSettings');
    const logging = settings.filter((m) => {
      const level = literal(s, m?.LoggingLevel, 'MethodSettings[].LoggingLevel');
      return (level !== undefined && String(level).toUpperCase() !== 'OFF') || isTrue(literal(s, m?.DataTraceEnabled, 'MethodSettings[].DataTraceEnabled'));
    });
    if (logging.length === 0) return NA;
    return s.index.ofType('AWS::ApiGateway::Account').some((a) => a.props.CloudWatchRoleArn !== undefined) ? OK
      : fail(`MethodSettings turn on execution logging (LoggingLevel ${logging.map((m) => m.LoggingLevel ?? 'OFF').join(', ')}), and no stack of the app declares AWS::ApiGateway::Account with a CloudWatchRoleArn`);
  },
});
