/** The public face of the test platform; `lti-platform.ts` re-exports it. */

export type MoodleRole = 'student' | 'teacher' | 'non-editing-teacher' | 'site-admin';

export interface PlatformUser {
  id: string;
  role: MoodleRole;
  name?: string;
  email?: string;
}

export interface LaunchOptions {
  user: PlatformUser;
  /**
   * A frame name for LTI client-side postMessage storage (Moodle sends none; Canvas does).
   * The course page then holds a storage frame of that name.
   */
  storageTarget?: string;
  /** Default: a resource link launch. */
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  /** Default: the tool's registered target_link_uri (its deep-linking URL for deep linking). */
  targetLinkUri?: string;
  /**
   * Default `{ id: 'rl-1' }`. With `lineItem`, the link is an activity that accepts grades: it
   * gets a coupled line item (as Moodle makes one) and the launch carries its URL.
   */
  resourceLink?: {
    id: string;
    title?: string;
    lineItem?: { label?: string; scoreMaximum?: number };
  };
  /** Default `{ id: 'course-2', label: 'SAFE101', title: 'Safety 101' }`. */
  context?: { id: string; label?: string; title?: string };
  custom?: Record<string, string>;
  /** Default: the platform's deployment. */
  deploymentId?: string;
  /** The user's Moodle language, sent as launch_presentation.locale. Default 'en'. */
  locale?: string;
  /** Changes the claims (or header) after they are built and before signing. */
  tamper?: (claims: Record<string, unknown>, header: Record<string, unknown>) => void;
  /** Replaces signing altogether: gets the claims and header, returns the id_token to send. */
  sign?: (claims: Record<string, unknown>, header: Record<string, unknown>) => string;
  /**
   * When false, the auth response is not POSTed: launch() answers the form fields instead, as
   * a JSON body `{ redirect_uri, id_token, state }`.
   */
  deliver?: boolean;
}

export interface ToolResponse {
  status: number;
  headers: Headers;
  body: string;
  url: string;
}

export interface PreparedLaunch {
  idToken: string;
  state: string;
  redirectUri: string;
  /**
   * POSTs id_token and state (possibly altered) to redirectUri with the browser's cookies and
   * follows the tool's redirects. `cookies: false` neither sends nor keeps any, as in an iframe
   * whose browser blocks the tool's cookies.
   */
  submit(fields?: { idToken?: string; state?: string; cookies?: boolean }): Promise<ToolResponse>;
}

export interface LineItemView {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
}

export interface ServiceCall {
  method: string;
  /** The path without its query, e.g. `/ags/course-2/lineitems/1/lineitem/scores`. */
  path: string;
  /** For /token the scopes asked for; for services those of the access token shown. */
  scopes: string[];
}

export interface Registration {
  page: ToolResponse;
  clientId: string;
  deploymentId: string;
  /** The `lti-tool-configuration` block the tool registered. */
  toolConfiguration: Record<string, unknown>;
  /** The whole client registration the tool POSTed. */
  registration: Record<string, unknown>;
}

export interface ManualTool {
  clientId?: string;
  loginUrl: string;
  redirectUris: string[];
  targetLinkUri: string;
  jwksUrl: string;
  deepLinkingUrl?: string;
}

export interface TestPlatform {
  /** The issuer, e.g. http://127.0.0.1:41234 (no trailing slash). */
  issuer: string;
  jwksUrl: string;
  authUrl: string;
  tokenUrl: string;
  /** Set after register() or configure(); empty before. */
  clientId: string;
  deploymentId: string;
  /** Dynamic registration as Moodle does it, through the tool's registration page. */
  register(registrationUrl: string): Promise<Registration>;
  /** Manual registration: the tool's URLs given directly (for tools registered from a CLI). */
  configure(tool: ManualTool): { clientId: string; deploymentId: string };
  /** A full launch as a browser would do it, with a cookie jar per launch. */
  launch(options: LaunchOptions): Promise<ToolResponse>;
  prepareLaunch(options: LaunchOptions): Promise<PreparedLaunch>;
  /** A course page whose iframe runs the launch in a real browser; answers its URL. */
  coursePage(options: LaunchOptions): string;
  /** A new signing key becomes current; the JWKS serves the new and the old one. */
  rotateKey(): void;
  /** Deep-linking responses that passed the platform's checks. */
  deepLinkResponses: Array<{ contentItems: Array<Record<string, unknown>>; data?: string }>;
  lineItems(contextId: string): LineItemView[];
  scores(lineItemId: string): Array<Record<string, unknown>>;
  /** The next `count` score posts fail with 503, as a platform under maintenance answers. */
  failNextScores(count: number): void;
  /** Course roster for NRPS: defaults to the users who launched in that context. */
  setMembers(contextId: string, members: PlatformUser[]): void;
  /** Requests the tool made to the platform's token endpoint and services. */
  serviceCalls: ServiceCall[];
  close(): Promise<void>;
}
