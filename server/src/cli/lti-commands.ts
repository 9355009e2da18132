import { InvalidArgumentError, type Command } from 'commander';
import { expectedPublicUrl } from '../config/config.ts';
import { addPlatform, createRegistrationToken, listPlatforms } from '../lti/platforms.ts';
import { requireTenant } from './admin-commands.ts';
import { withDatabase } from './database-session.ts';

function url(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    throw new InvalidArgumentError('give an absolute URL');
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** LMS registrations: by hand, or a one-time URL for the LMS's dynamic registration. */
export function registerLtiCommands(program: Command): void {
  const lti = program.command('lti').description('register LMSs (LTI 1.3) for a tenant');
  lti
    .command('add-platform')
    .description('register an LMS by hand, with the values its admin page shows')
    .argument('<tenant>', 'tenant slug or id')
    .requiredOption('--issuer <url>', "the platform's issuer (Moodle: its site URL)", url)
    .requiredOption('--client-id <id>', 'the client id the platform gave Lectern')
    .requiredOption('--auth-url <url>', 'authentication request URL', url)
    .requiredOption('--token-url <url>', 'access token URL', url)
    .requiredOption('--jwks-url <url>', 'public keyset URL', url)
    .requiredOption('--deployment-id <id>', 'a deployment id (repeat for more)', collect, [])
    .option('--product <name>', 'what the platform is, for the records', '')
    .action(
      (
        tenantRef: string,
        options: {
          issuer: string;
          clientId: string;
          authUrl: string;
          tokenUrl: string;
          jwksUrl: string;
          deploymentId: string[];
          product: string;
        },
      ) =>
        withDatabase(async ({ knex }, config) => {
          const tenant = await requireTenant(knex, tenantRef);
          const platform = await addPlatform(
            knex,
            {
              tenantId: tenant.id,
              issuer: options.issuer.replace(/\/$/, ''),
              clientId: options.clientId,
              authUrl: options.authUrl,
              tokenUrl: options.tokenUrl,
              jwksUrl: options.jwksUrl,
              deploymentIds: options.deploymentId,
              roleMapping: null,
              product: options.product,
            },
            'cli',
          );
          const base = expectedPublicUrl(config);
          console.log(
            JSON.stringify(
              {
                platform: { id: platform.id, issuer: platform.issuer, clientId: platform.clientId },
                tool: {
                  loginUrl: `${base}/lti/login`,
                  redirectUrl: `${base}/lti/launch`,
                  keysetUrl: `${base}/lti/keys`,
                  deepLinkingUrl: `${base}/lti/launch`,
                },
              },
              null,
              2,
            ),
          );
        }),
    );
  lti
    .command('registration-url')
    .description('a one-time URL to paste into the LMS for dynamic registration (24 h)')
    .argument('<tenant>', 'tenant slug or id')
    .action((tenantRef: string) =>
      withDatabase(async ({ knex }, config) => {
        const tenant = await requireTenant(knex, tenantRef);
        const { token, expiresAt } = await createRegistrationToken(knex, tenant.id, 'cli');
        console.log(`${expectedPublicUrl(config)}/lti/register?token=${token}`);
        console.log(`(works once, until ${expiresAt.toISOString()})`);
      }),
    );
  lti
    .command('list')
    .description("list a tenant's registered LMSs")
    .argument('<tenant>', 'tenant slug or id')
    .action((tenantRef: string) =>
      withDatabase(async ({ knex }) => {
        const tenant = await requireTenant(knex, tenantRef);
        for (const platform of await listPlatforms(knex, tenant.id)) {
          console.log(
            `${platform.id}  ${platform.issuer}  ${platform.clientId}  ${platform.deploymentIds.join(',')}`,
          );
        }
      }),
    );
}
