import { CfnResource, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { nagName } from '../private/nag-names';

/** Reasons for the findings on the resources CDK Pipelines creates; listed in the README. */
export const PIPELINE_REASONS = {
  inlinePolicy: 'CDK Pipelines (aws-cdk-lib pipelines) attaches the permissions of each pipeline, action and CodeBuild role it creates as that role\'s default policy; the policy belongs to exactly one role and is removed with it, and its statements are scoped to the pipeline\'s own bucket, key, projects and bootstrap roles.',
  artifactGrants: 'These wildcard actions are aws-cdk-lib\'s read/write grants on the pipeline artifact bucket and its key (s3:GetObject*, s3:List*, kms:GenerateDataKey* and the like); the statements name only the artifact bucket, its objects and its key.',
  artifactObjects: 'Pipeline artifacts are objects with names CodePipeline chooses per execution; the statement names the objects of the pipeline artifact bucket only.',
  codeBuildLogs: 'CodeBuild names log streams and report groups after each build; the statement names only the log group and report groups of this one project, or, on the asset publishing role CDK Pipelines shares between its asset projects, the CodeBuild log groups and report groups of this account and Region (the build logs themselves go to the pipeline\'s encrypted log group).',
  assetBuilds: 'CDK Pipelines lets its asset publishing role start and watch CodeBuild builds on any project; a deny statement of the same policy limits it to the projects of this pipeline.',
  selfMutationRoles: 'Self-mutation assumes the CDK bootstrap roles to deploy the pipeline\'s own stack: the statement is limited to roles of the pipeline\'s account tagged aws-cdk:bootstrap-role deploy, file-publishing or image-publishing, and a deny statement of the same policy refuses the roles of every other account.',
  selfMutationDescribe: 'cloudformation:DescribeStacks and s3:ListBucket are the read-only calls the CDK CLI makes during self-mutation before it assumes the bootstrap deploy role; cdk deploy needs them on any stack and bootstrap bucket.',
  authorizationToken: 'ecr:GetAuthorizationToken supports no resource-level permission (it returns a registry login token); pushes are limited to the named repository by the other statements and by the repository policy.',
  evidencePrefix: 'S3 object ARNs can name a key prefix only with a trailing wildcard; the statement names the objects under this image\'s repository prefix of the evidence bucket only (reports and SBOMs, written with the bucket\'s key).',
  revocationStatus: 'The AWS Signer plugin calls signer:GetRevocationStatus when Notation verifies a signature; its resources are the signing profile version and the signing job (Service Authorization Reference, AWS Signer), whose IDs Signer assigns per version and per signature: the statement names the versions of the one signing profile and the signing jobs of its account and Region, for this read-only action only.',
  privilegedImageBuild: 'This is the model image build: docker build needs CodeBuild privileged mode (CodeBuild user guide, Docker in custom image / privileged mode). It is the only privileged project of the pipeline; it runs only the image commands of the library (scan before push), never the synthesis.',
  sourceRepoUrl: 'This CodeBuild project has source type CODEPIPELINE: it receives the source as an encrypted pipeline artifact and holds no repository URL nor credential (the check targets GitHub and Bitbucket source URLs with OAuth).',
};

/** Sid of the deny statement that limits the asset roles' build actions to the pipeline's own projects. */
export const ONLY_THIS_PIPELINES_PROJECTS = 'OnlyThisPipelinesProjects';
/** The CodeBuild actions CDK Pipelines grants its asset publishing roles on every project. */
export const BUILD_ACTIONS = ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'];

const ARTIFACT_ACTIONS = new Set(['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);

/**
 * Acknowledges, one resource and one finding at a time, the findings the checks report on the
 * resources CDK Pipelines creates, when they have the shape named in {@link PIPELINE_REASONS}.
 * Anything else (a wildcard of another shape) is left for the checks to report.
 */
export function acknowledgePipelineFindings(pipelineScope: IConstruct, artifactBucketLogicalId: string,
  evidenceBucketLogicalId: string | undefined, privilegedProjects: IConstruct[]): void {
  const stack = Stack.of(pipelineScope);
  for (const child of pipelineScope.node.findAll()) {
    if (child instanceof iam.CfnPolicy) {
      acknowledge(child, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
        .map((pack) => ({ id: `${pack}-IAMNoInlinePolicy`, source: FindingSource.CDK_NAG })), PIPELINE_REASONS.inlinePolicy);
    }
    if (child instanceof iam.CfnPolicy || child instanceof iam.CfnManagedPolicy) {
      acknowledgeWildcards(child, stack, artifactBucketLogicalId, evidenceBucketLogicalId);
    }
    if (child instanceof codebuild.CfnProject && privilegedProjects.includes(child)) {
      acknowledge(child, [{ id: 'codebuild_project_environment_privileged_check', source: FindingSource.CFN_GUARD }], PIPELINE_REASONS.privilegedImageBuild);
    }
    if (child instanceof codebuild.CfnProject && (stack.resolve(child.source) as { type?: string }).type === 'CODEPIPELINE') {
      acknowledge(child, ['HIPAA.Security', 'PCI.DSS.321']
        .map((pack) => ({ id: `${pack}-CodeBuildProjectSourceRepoUrl`, source: FindingSource.CDK_NAG })), PIPELINE_REASONS.sourceRepoUrl);
    }
  }
}

interface Statement { Effect: string; Action?: string | string[]; Resource?: unknown }

function acknowledgeWildcards(policy: iam.CfnPolicy | iam.CfnManagedPolicy, stack: Stack, bucketId: string, evidenceId: string | undefined): void {
  const document = stack.resolve(policy.policyDocument) as { Statement: Statement[] };
  const byReason = new Map<string, Set<string>>();
  const add = (reason: string, id: string) => {
    if (!byReason.has(reason)) byReason.set(reason, new Set());
    byReason.get(reason)!.add(id);
  };
  const account = stack.account;
  const hasProjectDeny = document.Statement.some((st) => st.Effect === 'Deny' && (st as { Sid?: string }).Sid === ONLY_THIS_PIPELINES_PROJECTS);
  for (const statement of document.Statement) {
    if (statement.Effect !== 'Allow') continue;
    const actions = ([] as string[]).concat(statement.Action ?? []);
    const resources = ([] as unknown[]).concat(statement.Resource ?? []).map(nagName);
    for (const action of actions.filter((a) => a.includes('*'))) {
      if (ARTIFACT_ACTIONS.has(action)) add(PIPELINE_REASONS.artifactGrants, `AwsSolutions-IAM5[Action::${action}]`);
    }
    for (const resource of resources.filter((r) => r.includes('*'))) {
      const id = `AwsSolutions-IAM5[Resource::${resource}]`;
      const plain = resource.replace(/<AWS::[A-Za-z]+>/g, 'X'); // partition, Region, account as pseudo parameters
      if (resource === `<${bucketId}.Arn>/*`) add(PIPELINE_REASONS.artifactObjects, id);
      else if (evidenceId && new RegExp(`^<${evidenceId}\\.Arn>/<[A-Za-z0-9]+>/\\*$`).test(resource)) add(PIPELINE_REASONS.evidencePrefix, id);
      else if (actions.length === 1 && actions[0] === 'signer:GetRevocationStatus'
        && /^arn:[^:]+:signer:[^:]+:\d{12}:\/(signing-profiles\/[A-Za-z0-9_]+\/\*|signing-jobs\/\*)$/.test(plain)) add(PIPELINE_REASONS.revocationStatus, id);
      else if (resource === '*' && actions.length === 1 && actions[0] === 'ecr:GetAuthorizationToken') add(PIPELINE_REASONS.authorizationToken, id);
      else if (resource === '*' && hasProjectDeny && actions.every((a) => BUILD_ACTIONS.includes(a))) add(PIPELINE_REASONS.assetBuilds, id);
      else if (/^arn:[^:]+:logs:[^:]+:[^:]+:log-group:\/aws\/codebuild\/(<[A-Za-z0-9]+>:)?\*$/.test(plain)
        || /^arn:[^:]+:codebuild:[^:]+:[^:]+:report-group\/(<[A-Za-z0-9]+>-)?\*$/.test(plain)) add(PIPELINE_REASONS.codeBuildLogs, id);
      else if (resource === `arn:*:iam::${account}:role/*` && actions.length === 1 && actions[0] === 'sts:AssumeRole') add(PIPELINE_REASONS.selfMutationRoles, id);
      else if (resource === '*' && actions.every((a) => a === 'cloudformation:DescribeStacks' || a === 's3:ListBucket')) add(PIPELINE_REASONS.selfMutationDescribe, id);
    }
  }
  for (const [reason, ids] of byReason) {
    acknowledge(policy as CfnResource, [...ids].map((id) => ({ id, source: FindingSource.CDK_NAG })), reason);
  }
}
