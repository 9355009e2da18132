import { createHash } from 'node:crypto';
import type { MoodleRole } from './types.ts';

/**
 * What Moodle 4.1 (mod/lti) says and how: claim names, scopes, role URIs, its site identity
 * and its OpenID configuration, as read in mod/lti/locallib.php, openid-configuration.php and
 * the gradebookservices and memberships services.
 */

export const claim = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
  ext: 'https://purl.imsglobal.org/spec/lti/claim/ext',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  deepLinkData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
} as const;

export const toolConfigurationKey = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const platformConfigurationKey =
  'https://purl.imsglobal.org/spec/lti-platform-configuration';

export const scope = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  memberships: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  toolSettings: 'https://purl.imsglobal.org/spec/lti-ts/scope/toolsetting',
} as const;

export const mediaType = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
  legacyMembershipContainer: 'application/vnd.ims.lis.v2.membershipcontainer+json',
} as const;

/** $CFG->version goes into tool_platform, $CFG->release into the OpenID configuration. */
export const site = {
  version: '2022112814',
  release: '4.1.14 (Build: 20241007)',
  name: 'Moodle',
  description: 'Lectern test Moodle',
  // Dynamic registration sets "organization id: site id", which Moodle sends as this md5.
  guid: createHash('md5').update('lectern-test-moodle').digest('hex'),
} as const;

/** Moodle signs launches for one minute. */
export const idTokenLifetimeSeconds = 60;
export const accessTokenLifetimeSeconds = 3600;

const membership = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const institutionAdministrator =
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator';
const systemAdministrator = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator';

/**
 * The roles claim of a launch from an activity: Instructor for whoever may manage the
 * activity (non-editing teachers may), Administrator twice for site admins, sorted as
 * lti_sign_jwt sorts them.
 */
export function launchRoles(role: MoodleRole): string[] {
  switch (role) {
    case 'student':
      return [`${membership}Learner`];
    case 'teacher':
    case 'non-editing-teacher':
      return [`${membership}Instructor`];
    case 'site-admin':
      return [institutionAdministrator, `${membership}Instructor`, systemAdministrator].sort();
  }
}

/** Whether the role holds moodle/course:manageactivities (non-editing teachers do not). */
export function managesActivities(role: MoodleRole): boolean {
  return role === 'teacher' || role === 'site-admin';
}

/**
 * The roles of a member in Moodle's NRPS answer. Moodle sends short names here, not URIs,
 * and judges by the course capability: a non-editing teacher is listed as a Learner.
 */
export function membershipRoles(role: MoodleRole): string[] {
  if (role === 'site-admin') {
    return ['Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/person#Administrator'];
  }
  return [managesActivities(role) ? 'Instructor' : 'Learner'];
}

/** Moodle's gradebook grades students only ($CFG->gradebookroles). */
export function isGradable(role: MoodleRole): boolean {
  return role === 'student';
}

/** The substitution variables Moodle offers (array_keys(lti_get_capabilities())). */
const variables = [
  'basic-lti-launch-request',
  'ContentItemSelectionRequest',
  'ToolProxyRegistrationRequest',
  'Context.id',
  'Context.title',
  'Context.label',
  'Context.id.history',
  'Context.sourcedId',
  'Context.longDescription',
  'Context.timeFrame.begin',
  'CourseSection.title',
  'CourseSection.label',
  'CourseSection.sourcedId',
  'CourseSection.longDescription',
  'CourseSection.timeFrame.begin',
  'ResourceLink.id',
  'ResourceLink.title',
  'ResourceLink.description',
  'User.id',
  'User.username',
  'Person.name.full',
  'Person.name.given',
  'Person.name.family',
  'Person.email.primary',
  'Person.sourcedId',
  'Person.name.middle',
  'Membership.role',
  'Result.sourcedId',
  'Result.autocreate',
  'BasicOutcome.sourcedId',
  'BasicOutcome.url',
  'Moodle.Person.userGroupIds',
];

export interface PlatformUrls {
  issuer: string;
  configuration: string;
  registration: string;
  jwks: string;
  auth: string;
  token: string;
}

/** The document at /.well-known/openid-configuration, shaped as openid-configuration.php. */
export function openidConfiguration(urls: PlatformUrls): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    token_endpoint: urls.token,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: urls.jwks,
    authorization_endpoint: urls.auth,
    registration_endpoint: urls.registration,
    scopes_supported: [
      scope.lineItemReadonly,
      scope.resultReadonly,
      scope.score,
      scope.lineItem,
      scope.memberships,
      scope.toolSettings,
      'openid',
    ],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    [platformConfigurationKey]: {
      product_family_code: 'moodle',
      version: site.release,
      // Moodle lists plain strings here, where the spec has objects with a `type`.
      messages_supported: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'],
      placements: ['AddContentMenu'],
      variables,
    },
  };
}
