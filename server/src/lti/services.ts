import type { Knex } from 'knex';
import { createLtiTool, type LtiTool } from './ltijs-tool.ts';
import { PlatformKeys } from './platform-keys.ts';

/** What the LTI routes share in one process: ltijs, and the platforms' cached keys. */
export interface LtiServices {
  tool: LtiTool;
  keys: PlatformKeys;
  close(): Promise<void>;
}

export async function openLti(db: Knex, secret: string): Promise<LtiServices> {
  const tool = await createLtiTool(db, secret);
  return { tool, keys: new PlatformKeys(), close: () => tool.close() };
}
