import { IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { createV2Pack } from './load';

/** Options of the `AiSecurityChecksV2` pack (a subset of cdk-nag 2's `NagPackProps`). */
export interface AiSecurityChecksV2Props {
  /**
   * Print each finding's explanation (why it matters, the guide's recommendation, the controls).
   *
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * Also report acknowledged (suppressed) findings, as cdk-nag 2's `logIgnores`.
   *
   * @default false
   */
  readonly logIgnores?: boolean;
  /**
   * Write cdk-nag 2's compliance report (`AiSec-<stack>-NagReport.csv`) to the cloud assembly.
   *
   * @default true
   */
  readonly reports?: boolean;
  /**
   * Also run `AiSec-SageMakerEndpointMonitoringSchedule` (a warning): an endpoint whose endpoint
   * config captures inference data must be read by a SageMaker Model Monitor schedule of the app.
   * Off by default, for the reasons given at `AiSecurityChecksProps.requireModelMonitoring`.
   *
   * @default false
   */
  readonly requireModelMonitoring?: boolean;
}

/**
 * The `AiSecurityChecks` rules for apps on cdk-nag 2: an Aspect, like cdk-nag 2's own packs.
 * Same rule IDs, findings and levels; acknowledgements are cdk-nag 2's suppressions
 * (`NagSuppressions.addResourceSuppressions`, the `cdk_nag` metadata of a resource), which is
 * also what the library's constructs write for the findings they acknowledge.
 *
 * Needs cdk-nag 2 (an optional peer dependency, loaded when the pack is created); creating it
 * with cdk-nag 3 installed throws an error that points to `AiSecurityChecks`.
 *
 * @example
 * Aspects.of(app).add(new AiSecurityChecksV2());
 */
export class AiSecurityChecksV2 implements IAspect {
  private readonly pack: any;

  /** @param props pack options */
  constructor(props: AiSecurityChecksV2Props = {}) {
    this.pack = createV2Pack(props);
  }

  /** The pack name cdk-nag prefixes rule IDs with (`AiSec`). */
  public get readPackName(): string {
    return this.pack.readPackName;
  }

  /** Checks one construct (called by CDK's Aspects). */
  public visit(node: IConstruct): void {
    this.pack.visit(node);
  }
}
