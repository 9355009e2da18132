/**
 * A Moodle-like LTI 1.3 test platform for Lectern's server tests to launch against. The
 * parts live in `lti-platform/`; this file is the public face. The self-test in
 * `test/lti/test-platform.test.ts` shows it working against a stand-in tool.
 */
export { startTestPlatform } from './lti-platform/platform.ts';
export { claim as ltiClaim, scope as ltiScope } from './lti-platform/moodle.ts';
export type {
  LaunchOptions,
  LineItemView,
  ManualTool,
  MoodleRole,
  PlatformUser,
  PreparedLaunch,
  Registration,
  ServiceCall,
  TestPlatform,
  ToolResponse,
} from './lti-platform/types.ts';
