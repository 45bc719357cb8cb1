/**
 * The shell commands of the model image steps (build, scan, push, sign) and of the per-stage
 * verification, kept apart from the constructs so that a reviewer reads them in one place. They
 * run in bash as described in commands.ts; the tests run them, as synthesized into the
 * buildspecs, against stub tools (test/pipeline/buildspec.test.ts).
 */

/** The directory the image step writes `image.json` to (its primary output, an input of the synth step). */
export const IMAGE_OUTPUT_DIRECTORY = 'model-image';

/**
 * A temporary directory outside the source directory, which is the Docker build context when
 * `context` is '.': a file the step writes there would be sent to `docker build`, land in the
 * image and change its digest from one run to the next. `mktemp -d` creates it under `$TMPDIR`
 * (default /tmp); CodeBuild checks the source out under /codebuild/output.
 */
function scratchDirectory(variable: string): string {
  return `${variable}=$(mktemp -d)`;
}

/**
 * Downloads a release file and refuses it unless its SHA-256 is the pinned one: a mismatch fails
 * the build, whatever the download host serves.
 */
function verifiedDownload(url: string, file: string, sha256Variable: string): string[] {
  return [
    `curl -sSfL -o "${file}" "${url}"`,
    `set -o pipefail; echo "\${${sha256Variable}}  ${file}" | sha256sum -c -`,
  ];
}

/**
 * Installs the pinned Trivy release after checking its SHA-256.
 * Environment: TRIVY_VERSION, TRIVY_SHA256, TOOLS_DIR.
 */
export function trivyInstallCommands(): string[] {
  return [
    'mkdir -p "$TOOLS_DIR"',
    scratchDirectory('TRIVY_DOWNLOAD'),
    ...verifiedDownload('https://github.com/aquasecurity/trivy/releases/download/v${TRIVY_VERSION}/trivy_${TRIVY_VERSION}_Linux-64bit.tar.gz',
      '$TRIVY_DOWNLOAD/trivy.tar.gz', 'TRIVY_SHA256'),
    'tar -xzf "$TRIVY_DOWNLOAD/trivy.tar.gz" -C "$TOOLS_DIR" trivy',
    'rm -r "$TRIVY_DOWNLOAD"',
    '"$TOOLS_DIR/trivy" --version',
  ];
}

/**
 * Installs the pinned Notation CLI, the AWS Signer plugin and AWS Signer's root certificate, each
 * checked against its pinned SHA-256 before it is used, and a trust policy that trusts signatures
 * of the signing profile only, for this repository only (AWS Signer developer guide, "Locally
 * verify an image after signing": trust store `aws-signer-ts`, the profile ARN as trusted identity).
 *
 * Environment: NOTATION_VERSION, NOTATION_SHA256, SIGNER_PLUGIN_URL, SIGNER_PLUGIN_SHA256,
 * SIGNER_ROOT_CERTIFICATE_URL, SIGNER_ROOT_CERTIFICATE_SHA256, SIGNING_PROFILE_ARN,
 * REPOSITORY_URI, TOOLS_DIR.
 */
export function notationInstallCommands(): string[] {
  return [
    'mkdir -p "$TOOLS_DIR"',
    scratchDirectory('NOTATION_FILES'),
    ...verifiedDownload('https://github.com/notaryproject/notation/releases/download/v${NOTATION_VERSION}/notation_${NOTATION_VERSION}_linux_amd64.tar.gz',
      '$NOTATION_FILES/notation.tar.gz', 'NOTATION_SHA256'),
    'tar -xzf "$NOTATION_FILES/notation.tar.gz" -C "$TOOLS_DIR" notation',
    ...verifiedDownload('${SIGNER_PLUGIN_URL}', '$NOTATION_FILES/notation-aws-signer-plugin.zip', 'SIGNER_PLUGIN_SHA256'),
    '"$TOOLS_DIR/notation" plugin install --file "$NOTATION_FILES/notation-aws-signer-plugin.zip"',
    ...verifiedDownload('${SIGNER_ROOT_CERTIFICATE_URL}', '$NOTATION_FILES/aws-signer-notation-root.cert', 'SIGNER_ROOT_CERTIFICATE_SHA256'),
    '"$TOOLS_DIR/notation" cert add --type signingAuthority --store aws-signer-ts "$NOTATION_FILES/aws-signer-notation-root.cert"',
    'printf \'{"version":"1.0","trustPolicies":[{"name":"model-image","registryScopes":["%s"],"signatureVerification":{"level":"strict"},'
      + '"trustStores":["signingAuthority:aws-signer-ts"],"trustedIdentities":["%s"]}]}\\n\' "$REPOSITORY_URI" "$SIGNING_PROFILE_ARN" > "$NOTATION_FILES/notation-trust-policy.json"',
    '"$TOOLS_DIR/notation" policy import --force "$NOTATION_FILES/notation-trust-policy.json"',
    // Notation keeps its own copies (trust store, trust policy) under its configuration directory.
    'rm -r "$NOTATION_FILES"',
    '"$TOOLS_DIR/notation" version',
  ];
}

/**
 * Scans the build context's dependencies, builds the image (or, when the tag is already in the
 * repository, pulls that image instead: a re-run of the same commit), scans it, writes its
 * CycloneDX SBOM, keeps the reports (also when a scan fails; they are written outside the source
 * directory, which is the build context when `context` is '.') and only then pushes, by immutable
 * tag; the digest the registry returns is signed, verified, written to `model-image/image.json`
 * and exported.
 *
 * A re-run never pushes the same immutable tag twice (ECR refuses it with
 * ImageTagAlreadyExistsException): the image already pushed for this commit is scanned again,
 * reused, and signed if it is not signed yet.
 *
 * Environment: CONTEXT, REPOSITORY_URI, REPOSITORY_NAME, CODEBUILD_RESOLVED_SOURCE_VERSION (the
 * source commit, set by CodeBuild: the image tag), SEVERITIES (e.g. CRITICAL,HIGH),
 * IGNORE_UNFIXED (true: only fixable findings fail the build), REPORT_BUCKET,
 * SIGNING_PROFILE_ARN (empty: no signature), TOOLS_DIR.
 */
export function imageBuildCommands(): string[] {
  return [
    'export PATH="$TOOLS_DIR:$PATH"',
    'IMAGE_TAG="$CODEBUILD_RESOLVED_SOURCE_VERSION"; case "$IMAGE_TAG" in ""|*[!A-Za-z0-9._-]*) echo "No usable source commit for the image tag: [$IMAGE_TAG]" >&2; exit 1;; esac',
    // The reports go to S3 from a directory outside the source directory (the build context when
    // `context` is '.'): in the context they would be scanned by `trivy fs` and built into the image.
    scratchDirectory('REPORTS'),
    'UNFIXED=""; if [ "$IGNORE_UNFIXED" = "true" ]; then UNFIXED="--ignore-unfixed"; fi',
    'set -o pipefail; aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
    // A re-run of this commit: is the tag in the repository already? Only "not found" means build it.
    // (The answer's stderr goes to a temporary file, not into the build context.)
    'EXISTING=""; LOOKUP_ERR=$(mktemp); if OUT=$(aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" --query "imageDetails[0].imageDigest" --output text 2>"$LOOKUP_ERR"); then EXISTING="$OUT"; '
      + 'elif ! grep -q ImageNotFoundException "$LOOKUP_ERR"; then cat "$LOOKUP_ERR" >&2; exit 1; fi',
    'case "$EXISTING" in ""|sha256:*) ;; *) echo "Unexpected digest for $REPOSITORY_URI:$IMAGE_TAG: [$EXISTING]" >&2; exit 1;; esac',
    // Dependency scan of the build context, before anything is built.
    'FS_STATUS=0; trivy fs --scanners vuln --exit-code 1 --severity "$SEVERITIES" $UNFIXED --format json --output "$REPORTS/dependencies.json" "$CONTEXT" || FS_STATUS=$?',
    'if [ -n "$EXISTING" ]; then IMAGE_REF="$REPOSITORY_URI@$EXISTING"; echo "$REPOSITORY_URI:$IMAGE_TAG exists ($EXISTING): scanning it again and reusing it, not rebuilding"; docker pull "$IMAGE_REF"; '
      + 'else IMAGE_REF="$REPOSITORY_URI:$IMAGE_TAG"; docker build --pull -t "$IMAGE_REF" "$CONTEXT"; fi',
    'IMAGE_STATUS=0; trivy image --exit-code 1 --severity "$SEVERITIES" $UNFIXED --format json --output "$REPORTS/image-scan.json" "$IMAGE_REF" || IMAGE_STATUS=$?',
    'trivy image --format cyclonedx --output "$REPORTS/sbom.cdx.json" "$IMAGE_REF"',
    // Keep the evidence whatever the verdict, then decide.
    'aws s3 cp --recursive --sse aws:kms "$REPORTS" "s3://$REPORT_BUCKET/$REPOSITORY_NAME/$IMAGE_TAG/"',
    'if [ "$FS_STATUS" -ne 0 ] || [ "$IMAGE_STATUS" -ne 0 ]; then echo "Trivy found $SEVERITIES vulnerabilities (dependencies exit $FS_STATUS, image exit $IMAGE_STATUS): not pushing; reports in s3://$REPORT_BUCKET/$REPOSITORY_NAME/$IMAGE_TAG/" >&2; exit 1; fi',
    'if [ -z "$EXISTING" ]; then docker push "$IMAGE_REF"; fi',
    'IMAGE_DIGEST=$(aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" --query "imageDetails[0].imageDigest" --output text)',
    'case "$IMAGE_DIGEST" in sha256:*) ;; *) echo "No digest for $REPOSITORY_URI:$IMAGE_TAG (got $IMAGE_DIGEST)" >&2; exit 1;; esac',
    'if [ -n "$EXISTING" ] && [ "$IMAGE_DIGEST" != "$EXISTING" ]; then echo "$REPOSITORY_URI:$IMAGE_TAG changed from $EXISTING to $IMAGE_DIGEST during the build" >&2; exit 1; fi',
    'if [ -n "$SIGNING_PROFILE_ARN" ]; then if [ -n "$EXISTING" ] && notation verify "$REPOSITORY_URI@$IMAGE_DIGEST"; then echo "already signed by the profile"; '
      + 'else notation sign --plugin com.amazonaws.signer.notation.plugin --id "$SIGNING_PROFILE_ARN" "$REPOSITORY_URI@$IMAGE_DIGEST"; fi; fi',
    'if [ -n "$SIGNING_PROFILE_ARN" ]; then notation verify "$REPOSITORY_URI@$IMAGE_DIGEST"; fi',
    `mkdir -p ${IMAGE_OUTPUT_DIRECTORY} && printf '{"repositoryUri":"%s","tag":"%s","digest":"%s"}\\n' "$REPOSITORY_URI" "$IMAGE_TAG" "$IMAGE_DIGEST" > ${IMAGE_OUTPUT_DIRECTORY}/image.json`,
    'export IMAGE_DIGEST',
    'echo "pushed $REPOSITORY_URI@$IMAGE_DIGEST (tag $IMAGE_TAG)"',
  ];
}

/**
 * The pre-step of every stage: the digest the image step exported (the one the stage's templates
 * pin) is still in the repository and, when the image is signed, its signature verifies against
 * the trust policy (signing profile, AWS Signer root, revocation checked by the plugin) — before
 * the stage is deployed, in each stage, so a signature revoked after dev stops test and prod.
 *
 * Environment: IMAGE_DIGEST, REPOSITORY_URI, REPOSITORY_NAME, SIGNING_PROFILE_ARN (empty: not
 * signed), TOOLS_DIR.
 */
export function imageVerifyCommands(): string[] {
  return [
    'export PATH="$TOOLS_DIR:$PATH"',
    'case "$IMAGE_DIGEST" in sha256:*) ;; *) echo "No digest from the image step: [$IMAGE_DIGEST]" >&2; exit 1;; esac',
    'FOUND=$(aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageDigest="$IMAGE_DIGEST" --query "imageDetails[0].imageDigest" --output text)',
    'if [ "$FOUND" != "$IMAGE_DIGEST" ]; then echo "$REPOSITORY_URI@$IMAGE_DIGEST is not in the repository (got [$FOUND])" >&2; exit 1; fi',
    'if [ -n "$SIGNING_PROFILE_ARN" ]; then set -o pipefail; aws ecr get-login-password | notation login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"; fi',
    'if [ -n "$SIGNING_PROFILE_ARN" ]; then notation verify "$REPOSITORY_URI@$IMAGE_DIGEST"; fi',
    'echo "verified $REPOSITORY_URI@$IMAGE_DIGEST"',
  ];
}
