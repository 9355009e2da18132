import { randomBytes } from 'node:crypto';
import type { KeyRing } from './keys.ts';
import type { PlatformUrls } from './moodle.ts';
import type { LaunchOptions, PlatformUser, ServiceCall, TestPlatform } from './types.ts';

/** A tool as Moodle keeps it (an "LTI type"): its URLs, keys and what the admin allowed. */
export interface RegisteredTool {
  clientId: string;
  /** Moodle's type id, sent as the deployment id. */
  deploymentId: string;
  name: string;
  loginUrl: string;
  redirectUris: string[];
  targetLinkUri: string;
  deepLinkingUrl?: string;
  jwksUrl: string;
  /** The service scopes the tool may be granted. */
  scopes: string[];
  customParameters: Record<string, string>;
  sendName: boolean;
  sendEmail: boolean;
}

/** A course (Moodle's context) with its roster and the activities that launched the tool. */
export interface Course {
  id: string;
  label: string;
  title: string;
  members: Map<string, PlatformUser>;
  resourceLinks: Set<string>;
  /** Whether setMembers() replaced the roster, which launches then no longer extend. */
  rosterSet: boolean;
}

export interface LineItem {
  number: number;
  contextId: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
}

/** A launch between the tool's login request and the platform's answer to it. */
export interface PendingLaunch {
  launchId: string;
  tool: RegisteredTool;
  options: LaunchOptions;
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  targetLinkUri: string;
  deploymentId: string;
  course: Course;
  resourceLinkId?: string;
}

export interface AccessToken {
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface PlatformState {
  urls: PlatformUrls;
  keys: KeyRing;
  tools: Map<string, RegisteredTool>;
  /** The client registrations tools POSTed, by client id. */
  registrations: Map<string, Record<string, unknown>>;
  /** The tool launches go to: the one registered or configured last. */
  current: RegisteredTool | undefined;
  pendingLaunches: Map<string, PendingLaunch>;
  /** Deep-linking requests by the id in their return URL, for the echo of `data`. */
  deepLinkRequests: Map<string, { clientId: string; deploymentId: string; data?: string }>;
  courses: Map<string, Course>;
  lineItems: LineItem[];
  scores: Map<number, Array<Record<string, unknown>>>;
  accessTokens: Map<string, AccessToken>;
  /** Client-assertion and deep-linking jti and nonce values seen, against replays. */
  seenOnce: Set<string>;
  deepLinkResponses: TestPlatform['deepLinkResponses'];
  serviceCalls: ServiceCall[];
  /** Score posts still to refuse with 503 (failNextScores). */
  scoreFailures: number;
  /** Moodle's ids are small numbers, one sequence per table. */
  counters: Record<'tools' | 'lineItems' | 'launches', number>;
}

export function createState(urls: PlatformUrls, keys: KeyRing): PlatformState {
  return {
    urls,
    keys,
    tools: new Map(),
    registrations: new Map(),
    current: undefined,
    pendingLaunches: new Map(),
    deepLinkRequests: new Map(),
    courses: new Map(),
    lineItems: [],
    scores: new Map(),
    accessTokens: new Map(),
    seenOnce: new Set(),
    deepLinkResponses: [],
    serviceCalls: [],
    scoreFailures: 0,
    counters: { tools: 0, lineItems: 0, launches: 0 },
  };
}

export function nextNumber(state: PlatformState, kind: keyof PlatformState['counters']): number {
  state.counters[kind] += 1;
  return state.counters[kind];
}

/** Moodle's random_string(15), used for client ids. */
export function randomClientId(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(15)].map((byte) => letters[byte % letters.length]).join('');
}

export function courseFor(
  state: PlatformState,
  context: { id: string; label?: string; title?: string },
): Course {
  let course = state.courses.get(context.id);
  if (!course) {
    course = {
      id: context.id,
      label: context.label ?? context.id,
      title: context.title ?? context.id,
      members: new Map(),
      resourceLinks: new Set(),
      rosterSet: false,
    };
    state.courses.set(context.id, course);
  }
  if (context.label !== undefined) course.label = context.label;
  if (context.title !== undefined) course.title = context.title;
  return course;
}

export function lineItemUrl(state: PlatformState, item: LineItem, deploymentId: string): string {
  const base = `${state.urls.issuer}/ags/${encodeURIComponent(item.contextId)}/lineitems`;
  return `${base}/${item.number}/lineitem?type_id=${encodeURIComponent(deploymentId)}`;
}

export function lineItemsUrl(state: PlatformState, contextId: string, deploymentId: string) {
  const base = `${state.urls.issuer}/ags/${encodeURIComponent(contextId)}/lineitems`;
  return `${base}?type_id=${encodeURIComponent(deploymentId)}`;
}

export function membershipsUrl(state: PlatformState, contextId: string): string {
  return `${state.urls.issuer}/nrps/${encodeURIComponent(contextId)}/memberships`;
}
