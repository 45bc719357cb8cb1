/**
 * The shell commands of the pipeline's build steps, kept apart from the constructs so that a
 * reviewer reads them in one place. The tests run these commands, as synthesized into the
 * buildspecs, with bash against stub tools (test/pipeline/buildspec.test.ts).
 *
 * Every step runs its commands in bash (`env.shell: bash` in the buildspec). In buildspec version
 * 0.2 CodeBuild runs the commands of a phase one after the other in the same shell instance and
 * fails the phase at the first command that exits non-zero (CodeBuild user guide, "Shells and
 * commands in build environments"); a command with a pipe sets `pipefail` so that a failure in
 * the pipe is not hidden by the last command of it.
 */

/** Where the synth step keeps the validation report and the synthesis output (a build artifact). */
export const SYNTH_REPORTS_DIRECTORY = 'synth-reports';

/**
 * The synth step: runs the project's synthesis (which registers the checks), keeps its output
 * (the synthesis summary the app prints) and the validation report, and fails when the report is
 * missing (no validation ran) or lists any unacknowledged finding, warnings included.
 *
 * CDK writes `validation-report.json` to the assembly directory whenever a validation ran (the
 * registered plugins, and CloudFormation schema validation). `cdk synth` already exits non-zero
 * on an error-level finding; the gate also catches warnings and an app that was told not to fail.
 * A clean plugin is not listed in the report, so the report cannot prove which checks were
 * registered: that is the app's code, reviewed with it. The switches of this project's example
 * app that turn checks off (`CDK_VALIDATION`, `CDK_SECURE_AI_CHECKS`) are unset first.
 */
export function synthCommands(synthCommand: string, outputDirectory: string): string[] {
  const report = `${outputDirectory}/validation-report.json`;
  return [
    'unset CDK_VALIDATION CDK_SECURE_AI_CHECKS',
    `mkdir -p ${SYNTH_REPORTS_DIRECTORY}`,
    // The summary goes to stderr; keep all of it, and still fail when synthesis fails.
    `set -o pipefail; ${synthCommand} 2>&1 | tee ${SYNTH_REPORTS_DIRECTORY}/synthesis-output.txt`,
    `if [ ! -f ${report} ]; then echo "No ${report}: no validation ran, refusing to deploy unchecked templates" >&2; exit 1; fi`,
    `cp ${report} ${SYNTH_REPORTS_DIRECTORY}/validation-report.json`,
    `cp ${SYNTH_REPORTS_DIRECTORY}/synthesis-output.txt ${outputDirectory}/synthesis-output.txt`,
    'node -e \'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); '
      + 'const v = (r.pluginReports || []).flatMap((p) => (p.violations || []).map((x) => p.pluginName + ": " + x.ruleName + " (" + (x.severity || "error") + ")")); '
      + 'if (v.length > 0) { console.error(v.length + " unacknowledged finding(s):\\n" + v.join("\\n")); process.exit(1); } '
      + 'console.log("validation report: no unacknowledged finding");\' '
      + report,
  ];
}

/** What the model image step needs to know. */
export interface ImageCommandOptions {
  /** Directory of the Docker build context, relative to the source root. */
  readonly context: string;
}

/**
 * Downloads the pinned Trivy release and verifies it against the pinned SHA-256 before it is
 * unpacked: a mismatch fails the build, whatever the release page serves.
 * Environment: TRIVY_VERSION, TRIVY_SHA256, TOOLS_DIR.
 */
export function trivyInstallCommands(): string[] {
  return [
    'mkdir -p "$TOOLS_DIR"',
    'curl -sSfL -o trivy.tar.gz "https://github.com/aquasecurity/trivy/releases/download/v${TRIVY_VERSION}/trivy_${TRIVY_VERSION}_Linux-64bit.tar.gz"',
    'set -o pipefail; echo "${TRIVY_SHA256}  trivy.tar.gz" | sha256sum -c -',
    'tar -xzf trivy.tar.gz -C "$TOOLS_DIR" trivy',
    'rm trivy.tar.gz',
    '"$TOOLS_DIR/trivy" --version',
  ];
}

/**
 * Scans the build context's dependencies, builds the image, scans it, writes its CycloneDX SBOM,
 * keeps the reports (also when a scan fails) and only then pushes, by immutable tag; the digest
 * the registry returns is signed and exported.
 *
 * Environment: CONTEXT, REPOSITORY_URI, REPOSITORY_NAME, CODEBUILD_RESOLVED_SOURCE_VERSION (the
 * source commit, set by CodeBuild: the image tag),
 * SEVERITIES (e.g. CRITICAL,HIGH), IGNORE_UNFIXED (true: only fixable findings fail the build),
 * REPORT_BUCKET, SIGNING_PROFILE_ARN (empty: no signature), TOOLS_DIR.
 */
export function imageBuildCommands(): string[] {
  return [
    'export PATH="$TOOLS_DIR:$PATH"',
    'IMAGE_TAG="$CODEBUILD_RESOLVED_SOURCE_VERSION"; case "$IMAGE_TAG" in ""|*[!A-Za-z0-9._-]*) echo "No usable source commit for the image tag: [$IMAGE_TAG]" >&2; exit 1;; esac',
    'REPORTS="image-reports/$REPOSITORY_NAME/$IMAGE_TAG" && mkdir -p "$REPORTS"',
    'UNFIXED=""; if [ "$IGNORE_UNFIXED" = "true" ]; then UNFIXED="--ignore-unfixed"; fi',
    // Dependency scan of the build context, before anything is built.
    'FS_STATUS=0; trivy fs --scanners vuln --exit-code 1 --severity "$SEVERITIES" $UNFIXED --format json --output "$REPORTS/dependencies.json" "$CONTEXT" || FS_STATUS=$?',
    'docker build --pull -t "$REPOSITORY_URI:$IMAGE_TAG" "$CONTEXT"',
    'IMAGE_STATUS=0; trivy image --exit-code 1 --severity "$SEVERITIES" $UNFIXED --format json --output "$REPORTS/image-scan.json" "$REPOSITORY_URI:$IMAGE_TAG" || IMAGE_STATUS=$?',
    'trivy image --format cyclonedx --output "$REPORTS/sbom.cdx.json" "$REPOSITORY_URI:$IMAGE_TAG"',
    // Keep the evidence whatever the verdict, then decide.
    'aws s3 cp --recursive --sse aws:kms "$REPORTS" "s3://$REPORT_BUCKET/$REPOSITORY_NAME/$IMAGE_TAG/"',
    'if [ "$FS_STATUS" -ne 0 ] || [ "$IMAGE_STATUS" -ne 0 ]; then echo "Trivy found $SEVERITIES vulnerabilities (dependencies exit $FS_STATUS, image exit $IMAGE_STATUS): not pushing; reports in s3://$REPORT_BUCKET/$REPOSITORY_NAME/$IMAGE_TAG/" >&2; exit 1; fi',
    'set -o pipefail; aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
    'docker push "$REPOSITORY_URI:$IMAGE_TAG"',
    'IMAGE_DIGEST=$(aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" --query "imageDetails[0].imageDigest" --output text)',
    'case "$IMAGE_DIGEST" in sha256:*) ;; *) echo "No digest for $REPOSITORY_URI:$IMAGE_TAG (got $IMAGE_DIGEST)" >&2; exit 1;; esac',
    'if [ -n "$SIGNING_PROFILE_ARN" ]; then notation sign --plugin com.amazonaws.signer.notation.plugin --id "$SIGNING_PROFILE_ARN" "$REPOSITORY_URI@$IMAGE_DIGEST"; fi',
    'export IMAGE_DIGEST',
    'echo "pushed $REPOSITORY_URI@$IMAGE_DIGEST (tag $IMAGE_TAG)"',
  ];
}
