import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readMasterKeyring } from '../media/crypto/master-key-sources.ts';
import type { MasterKeyring } from '../media/crypto/master-keyring.ts';
import {
  storageConfigFromEnvironment,
  storageConfigProblems,
  storageEnvironmentShape,
  summariseStorageConfig,
  type StorageConfig,
} from '../media/storage/storage-config.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const environmentSchema = z.object({
  LECTERN_HOST: z.string().min(1).default('127.0.0.1'),
  LECTERN_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LECTERN_PUBLIC_URL: z.url().optional(),
  LECTERN_DATA_DIR: z.string().min(1).default('.lectern'),
  LECTERN_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  LECTERN_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(102_400),
  LECTERN_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LECTERN_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  LECTERN_TLS_CERT_FILE: z.string().min(1).optional(),
  LECTERN_TLS_KEY_FILE: z.string().min(1).optional(),
  LECTERN_TRUST_PROXY: flag.default(false),
  LECTERN_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  DATABASE_SSL_CA_FILE: z.string().min(1).optional(),
  LECTERN_MASTER_KEY_FILE: z.string().min(1).optional(),
  LECTERN_MASTER_KEY: z.string().min(1).optional(),
  LECTERN_UPLOAD_LIFETIME_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(24),
  LECTERN_BACKUP_TARGET: z.string().min(1).optional(),
  LECTERN_DATA_LOCATION: z.string().min(1).max(200).optional(),
  LECTERN_EXPORT_LIFETIME_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(72),
  LECTERN_OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  // A cron line (UTC) for the security check, or `off`; Mondays at 03:17 unless set.
  LECTERN_SECURITY_CHECK_SCHEDULE: z
    .string()
    .regex(/^(off|(\S+ ){4}\S+)$/, 'must be a cron line of five fields, or off')
    .default('17 3 * * 1'),
  ...storageEnvironmentShape,
});

export type DatabaseSsl = z.infer<typeof environmentSchema>['DATABASE_SSL'];

export interface Config {
  host: string;
  port: number;
  /** The URL browsers and LMSs reach the server at; by default the address it listens on. */
  publicUrl: string | undefined;
  dataDir: string;
  logLevel: z.infer<typeof environmentSchema>['LECTERN_LOG_LEVEL'];
  bodyLimitBytes: number;
  sessionSecret: string;
  sessionTtlSeconds: number;
  tls: { certFile: string; keyFile: string } | undefined;
  trustProxy: boolean;
  shutdownGraceMs: number;
  database:
    | { kind: 'pglite'; dataDir: string }
    | { kind: 'postgres'; url: string; ssl: DatabaseSsl; caFile: string | undefined };
  storage: StorageConfig;
  /** From the environment; when absent, the embedded default keeps one in the data folder. */
  masterKeyring: MasterKeyring | undefined;
  /** The file the keyring came from; rotation writes it (absent for LECTERN_MASTER_KEY). */
  masterKeyFile: string | undefined;
  uploadLifetimeMs: number;
  /** How long a finished export may be downloaded. */
  exportLifetimeMs: number;
  /** When the security check runs by itself (cron, UTC); undefined when switched off. */
  securityCheckSchedule: string | undefined;
  /** The operator's Bearer token for instance-wide results (security checks). */
  operatorToken: string | undefined;
  /** Where `lectern backup` writes by default: a folder or `s3://bucket/prefix`. */
  backupTarget: string | undefined;
  /** The operator's name for where data lives (e.g. "EU, Frankfurt"), for customers' records. */
  dataLocationLabel: string | undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** Reads and validates the configuration; every problem is reported at once. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const env = parsed.data;

  const problems: string[] = [];
  if (Boolean(env.LECTERN_TLS_CERT_FILE) !== Boolean(env.LECTERN_TLS_KEY_FILE)) {
    problems.push('LECTERN_TLS_CERT_FILE and LECTERN_TLS_KEY_FILE must be set together');
  }
  if (env.DATABASE_URL && env.DATABASE_SSL === 'disable' && env.DATABASE_SSL_CA_FILE) {
    problems.push('DATABASE_SSL_CA_FILE is set but DATABASE_SSL is disable');
  }
  if (env.DATABASE_URL && !env.LECTERN_SESSION_SECRET) {
    // Several API processes share one database and must verify each other's sessions.
    problems.push('LECTERN_SESSION_SECRET is required when DATABASE_URL is set');
  }
  if (env.DATABASE_URL && !env.LECTERN_MASTER_KEY_FILE && !env.LECTERN_MASTER_KEY) {
    // A key kept in one machine's data folder cannot serve several processes, nor backups.
    problems.push(
      'LECTERN_MASTER_KEY_FILE or LECTERN_MASTER_KEY is required when DATABASE_URL is set',
    );
  }
  problems.push(...storageConfigProblems(env));
  let masterKeyring: MasterKeyring | undefined;
  try {
    masterKeyring = readMasterKeyring(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(env.LECTERN_DATA_DIR);
  const tls = env.LECTERN_TLS_CERT_FILE
    ? { certFile: env.LECTERN_TLS_CERT_FILE, keyFile: env.LECTERN_TLS_KEY_FILE as string }
    : undefined;

  return {
    host: env.LECTERN_HOST,
    port: env.LECTERN_PORT,
    publicUrl: env.LECTERN_PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir,
    logLevel: env.LECTERN_LOG_LEVEL,
    bodyLimitBytes: env.LECTERN_BODY_LIMIT_BYTES,
    sessionSecret: env.LECTERN_SESSION_SECRET ?? localSessionSecret(dataDir),
    sessionTtlSeconds: env.LECTERN_SESSION_TTL_SECONDS,
    tls,
    trustProxy: env.LECTERN_TRUST_PROXY,
    shutdownGraceMs: env.LECTERN_SHUTDOWN_GRACE_MS,
    database: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          ssl: env.DATABASE_SSL,
          caFile: env.DATABASE_SSL_CA_FILE,
        }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') },
    storage: storageConfigFromEnvironment(env, dataDir),
    masterKeyring,
    masterKeyFile: env.LECTERN_MASTER_KEY_FILE
      ? path.resolve(env.LECTERN_MASTER_KEY_FILE)
      : undefined,
    uploadLifetimeMs: env.LECTERN_UPLOAD_LIFETIME_HOURS * 3600 * 1000,
    exportLifetimeMs: env.LECTERN_EXPORT_LIFETIME_HOURS * 3600 * 1000,
    securityCheckSchedule:
      env.LECTERN_SECURITY_CHECK_SCHEDULE === 'off'
        ? undefined
        : env.LECTERN_SECURITY_CHECK_SCHEDULE,
    operatorToken: env.LECTERN_OPERATOR_TOKEN,
    backupTarget: env.LECTERN_BACKUP_TARGET,
    dataLocationLabel: env.LECTERN_DATA_LOCATION,
  };
}

/** The embedded default keeps its session secret beside its data, readable by the owner only. */
function localSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The configuration as it may be logged: secrets and passwords replaced. */
export function summariseConfig(config: Config): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    publicUrl: config.publicUrl ?? '(the listening address)',
    dataDir: config.dataDir,
    logLevel: config.logLevel,
    bodyLimitBytes: config.bodyLimitBytes,
    sessionSecret: '[redacted]',
    sessionTtlSeconds: config.sessionTtlSeconds,
    tls: config.tls ? 'direct' : config.trustProxy ? 'proxy (X-Forwarded-Proto)' : 'off',
    database:
      config.database.kind === 'pglite'
        ? { kind: 'pglite', dataDir: config.database.dataDir }
        : { kind: 'postgres', url: redactUrl(config.database.url), ssl: config.database.ssl },
    storage: summariseStorageConfig(config.storage),
    masterKey: config.masterKeyring
      ? `from the environment (${config.masterKeyring.keys.length} key(s), current ${config.masterKeyring.current.id})`
      : 'the data folder (embedded default)',
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

/** The public URL, or the address the server will listen on when none is configured. */
export function expectedPublicUrl(config: Config, port = config.port): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
}
