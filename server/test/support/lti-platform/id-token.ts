import { claim, idTokenLifetimeSeconds, launchRoles, scope, site } from './moodle.ts';
import { lineItemUrl, lineItemsUrl, membershipsUrl, type PlatformState } from './state.ts';
import type { PendingLaunch } from './state.ts';

/**
 * The claims of Moodle's id_token for a launch, in the order lti_sign_jwt writes them. What
 * Moodle leaves out stays out: no lti_storage_target, no names or e-mail the tool was not
 * allowed, no resource link, return URL or line item on a deep-linking request.
 */
export function launchClaims(
  state: PlatformState,
  launch: PendingLaunch,
  nonce: string,
): Record<string, unknown> {
  const { tool, options, course } = launch;
  const user = options.user;
  const deepLinking = launch.messageType === 'LtiDeepLinkingRequest';
  const now = Math.floor(Date.now() / 1000);

  const claims: Record<string, unknown> = {
    nonce,
    iat: now,
    exp: now + idTokenLifetimeSeconds,
    iss: state.urls.issuer,
    aud: tool.clientId,
    [claim.deploymentId]: launch.deploymentId,
    [claim.targetLinkUri]: launch.targetLinkUri,
    sub: user.id,
    [claim.lis]: { person_sourcedid: '', course_section_sourcedid: '' },
    [claim.roles]: launchRoles(user.role),
    [claim.context]: {
      id: course.id,
      label: course.label,
      title: course.title,
      type: ['CourseSection'],
    },
  };

  if (!deepLinking) {
    const title = options.resourceLink?.title ?? 'Training video';
    claims[claim.resourceLink] = { title, description: '', id: launch.resourceLinkId };
  }
  Object.assign(claims, personClaims(launch));
  claims[claim.launchPresentation] = deepLinking
    ? { locale: options.locale ?? 'en' }
    : {
        locale: options.locale ?? 'en',
        document_target: 'iframe',
        return_url: returnUrl(state, launch),
      };
  claims[claim.ext] = { lms: 'moodle-2', ...usernameExtension(launch) };
  claims[claim.toolPlatform] = {
    product_family_code: 'moodle',
    version: site.version,
    guid: site.guid,
    name: site.name,
    description: site.description,
  };
  claims[claim.version] = '1.3.0';
  claims[claim.messageType] = launch.messageType;

  const custom = { ...tool.customParameters, ...options.custom };
  if (Object.keys(custom).length > 0) claims[claim.custom] = custom;
  Object.assign(claims, serviceClaims(state, launch));
  if (deepLinking) claims[claim.deepLinkingSettings] = deepLinkingSettings(state, launch);
  return claims;
}

function personClaims(launch: PendingLaunch): Record<string, unknown> {
  const { user } = launch.options;
  const person: Record<string, unknown> = {};
  if (launch.tool.sendName && user.name) {
    const [given = '', ...family] = user.name.split(' ');
    person.given_name = given;
    person.family_name = family.join(' ');
    person.name = user.name;
  }
  if (launch.tool.sendEmail && user.email) person.email = user.email;
  return person;
}

// Moodle adds the username as an extension whenever it shares the name.
function usernameExtension(launch: PendingLaunch): Record<string, string> {
  const { user } = launch.options;
  if (!launch.tool.sendName || !user.name) return {};
  return { user_username: user.email?.split('@')[0] ?? `user${user.id}` };
}

function returnUrl(state: PlatformState, launch: PendingLaunch): string {
  const query = new URLSearchParams({
    course: launch.course.id,
    launch_container: '3',
    instanceid: launch.resourceLinkId ?? '',
  });
  return `${state.urls.issuer}/return?${query}`;
}

function serviceClaims(state: PlatformState, launch: PendingLaunch): Record<string, unknown> {
  const { tool, course } = launch;
  const granted = new Set(tool.scopes);
  const services: Record<string, unknown> = {};

  const agsScopes = [scope.lineItem, scope.lineItemReadonly, scope.resultReadonly, scope.score];
  if (agsScopes.some((candidate) => granted.has(candidate))) {
    const endpoint: Record<string, unknown> = {
      scope: agsScopes.filter((candidate) => granted.has(candidate)).sort(),
      lineitems: lineItemsUrl(state, course.id, launch.deploymentId),
    };
    // As Moodle: the line item only when exactly one belongs to the link.
    const coupled = state.lineItems.filter(
      (item) => item.contextId === course.id && item.resourceLinkId === launch.resourceLinkId,
    );
    const [only] = coupled;
    if (launch.resourceLinkId !== undefined && only && coupled.length === 1) {
      endpoint.lineitem = lineItemUrl(state, only, launch.deploymentId);
    }
    services[claim.ags] = endpoint;
  }
  if (granted.has(scope.memberships)) {
    services[claim.nrps] = {
      context_memberships_url: membershipsUrl(state, course.id),
      service_versions: ['1.0', '2.0'],
    };
  }
  return services;
}

// lti_build_content_item_selection_request's defaults; Moodle sends no `data`.
function deepLinkingSettings(state: PlatformState, launch: PendingLaunch) {
  const query = new URLSearchParams({ course: launch.course.id, launch: launch.launchId });
  return {
    accept_types: ['ltiResourceLink'],
    accept_presentation_document_targets: ['frame', 'iframe', 'window'],
    accept_copy_advice: false,
    accept_multiple: true,
    accept_unsigned: false,
    auto_create: false,
    can_confirm: false,
    deep_link_return_url: `${state.urls.issuer}/deep-link-return?${query}`,
    title: launch.tool.name,
    text: '',
  };
}
