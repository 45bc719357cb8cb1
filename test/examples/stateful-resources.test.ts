import * as fs from 'fs';
import * as path from 'path';
import { compareStateful, StatefulResources, statefulResourcesOf, unretainedOf } from './stateful';
import { addReferencePlatform } from '../../examples/platform/platform';
import { createTestApp } from '../support/app';

/**
 * Stability of the reference platform: construct IDs and logical IDs are API. A change that
 * renames the logical ID of a bucket, key, log group, repository or queue makes CloudFormation
 * replace it (and the retained original is orphaned with the data). The reviewed list in
 * stateful-resources.json is the contract; a new stateful resource is added to it deliberately.
 */
describe('stateful resources of the reference platform', () => {
  const reviewedFile = path.join(__dirname, 'stateful-resources.json');
  const reviewed: StatefulResources = JSON.parse(fs.readFileSync(reviewedFile, 'utf8'));
  const referenceApp = () => {
    const app = createTestApp({ checks: false });
    addReferencePlatform(app);
    return app;
  };
  const app = referenceApp();
  const actual = statefulResourcesOf(app);

  test('every reviewed stateful resource keeps its logical ID and type, and there is no unreviewed one', () => {
    const problems = compareStateful(reviewed, actual);
    if (problems.length > 0) throw new Error(`${problems.length} stateful resource problem(s):\n  ${problems.join('\n  ')}`);
  });

  test('the reviewed list covers every stage and every kind of stateful resource the platform has', () => {
    expect(Object.keys(reviewed).sort()).toEqual(Object.keys(actual).sort());
    const types = new Set(Object.values(reviewed).flatMap((r) => Object.values(r)));
    // AWS::ApiGateway::Account and its IAM role and policy are retained, not stateful: deleting the
    // role would stop API logging account-wide (ApiGatewayAccountLogging). AWS::Macie::Session is
    // retained: deleting it disables Macie and deletes its findings (SensitiveDataDiscovery).
    expect([...types].sort()).toEqual(['AWS::ApiGateway::Account', 'AWS::ECR::Repository', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Macie::Session', 'AWS::S3::Bucket', 'AWS::SQS::Queue']);
  });

  test('every stateful resource is retained when it leaves its stack', () => {
    expect(unretainedOf(app)).toEqual([]);
  });

  test('a renamed, retyped or new stateful resource fails with a message naming it', () => {
    const [stack, resources] = Object.entries(reviewed)[0];
    const [logicalId, type] = Object.entries(resources)[0];
    const renamed: StatefulResources = { ...reviewed, [stack]: { ...reviewed[stack] } };
    delete renamed[stack][logicalId];
    renamed[stack][`${logicalId}Renamed`] = type;
    expect(compareStateful(reviewed, renamed)).toEqual([
      expect.stringMatching(new RegExp(`^${stack}/${logicalId} \\(${type}\\) is gone: its logical ID changed`)),
      expect.stringMatching(new RegExp(`^${stack}/${logicalId}Renamed \\(${type}\\) is a new stateful resource`)),
    ]);
    const retyped: StatefulResources = { ...reviewed, [stack]: { ...reviewed[stack], [logicalId]: 'AWS::S3::AccessPoint' } };
    expect(compareStateful(reviewed, retyped)).toEqual([`${stack}/${logicalId} changed type from ${type} to AWS::S3::AccessPoint: CloudFormation would replace it.`]);
  });
});
