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

/** Where the synth step finds the output of each model image step (`<dir>/<image id>/image.json`). */
export const MODEL_IMAGES_DIRECTORY = 'model-images';
/** The context key under which the synth step hands the model images it received to the app. */
export const MODEL_IMAGES_CONTEXT_KEY = 'cdk-secure-ai:modelImages';

/**
 * Run by the synth step before synthesis when the pipeline builds model images: reads the
 * `image.json` each image step wrote (repository URI, tag, digest) and writes them into the
 * project's `cdk.context.json` under {@link MODEL_IMAGES_CONTEXT_KEY}, where
 * `ModelImageBuild.promotedImage` reads them. Fails when an image's file is missing or holds no
 * `sha256:` digest: no stage is synthesized without the digest it must deploy.
 */
export function modelImageContextCommand(imageIds: string[]): string {
  return 'node -e \'const fs = require("fs"); const images = {}; '
    + 'for (const id of process.argv.slice(1)) { '
    + `const file = "${MODEL_IMAGES_DIRECTORY}/" + id + "/image.json"; const image = JSON.parse(fs.readFileSync(file, "utf8")); `
    + 'if (!/^sha256:[0-9a-f]{64}$/.test(image.digest || "")) { console.error(file + ": no sha256 digest"); process.exit(1); } '
    + 'images[id] = { repositoryUri: image.repositoryUri, tag: image.tag, digest: image.digest }; } '
    + 'const context = fs.existsSync("cdk.context.json") ? JSON.parse(fs.readFileSync("cdk.context.json", "utf8")) : {}; '
    + `context["${MODEL_IMAGES_CONTEXT_KEY}"] = images; `
    + 'fs.writeFileSync("cdk.context.json", JSON.stringify(context, null, 2)); '
    + 'for (const [id, image] of Object.entries(images)) console.log("model image " + id + ": " + image.repositoryUri + "@" + image.digest);\' '
    + imageIds.join(' ');
}
