/**
 * `pnpm run doctor`: everything `checkConfig` finds, plus a live look at the provider's discovery
 * document, as a report for people. `runDoctor` gathers the findings; `formatDoctorReport` prints them.
 */
import { chooseCloud, detectCloud, graphBaseUrlOf, graphResourceOf } from './clouds';
import { checkDiscovery, type DiscoveryResult } from './discovery';
import { type ConfigIssue, error, sentence, show, warning } from './issues';
import { ignoredLibreChatVariables } from './known-variables';
import { checkConfig, type Env, readVariable } from './load';
import {
  credentialUrlVariables,
  type EnvVariable,
  envSchema,
  secretVariables,
  variableGroups,
} from './schema';
import { renderTable } from './table';
import { redactUrlCredentials } from './urls';

export interface DoctorOptions {
  env: Env;
  /** Where each variable came from (".env", "environment", "dev default"), for the table. */
  sources?: Readonly<Record<string, string>>;
  /** Skip the live discovery check. */
  offline?: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** For the certificate's expiry warning; default now. */
  now?: Date;
}

/** The doctor warns this long before the client certificate expires. */
export const CERTIFICATE_WARNING_DAYS = 30;

export interface VariableRow {
  group: string;
  variable: EnvVariable;
  /** As shown: secrets hidden, URL passwords masked, defaults spelled out. */
  value: string;
  isSet: boolean;
  source: string;
}

export interface DoctorReport {
  /** Configuration and discovery findings, in that order. */
  issues: ConfigIssue[];
  variables: VariableRow[];
  /** LibreChat variables that are set here and that Gatehouse does not read. */
  ignored: { variable: string; note: string }[];
  /** Undefined when discovery was not attempted (offline, or no usable OPENID_ISSUER). */
  discovery?: DiscoveryResult;
  notes: string[];
  errors: number;
  warnings: number;
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { env } = options;
  const { config, issues } = checkConfig(env);
  const notes: string[] = [];

  let discovery: DiscoveryResult | undefined;
  const issuer = readVariable(env, 'OPENID_ISSUER');
  if (issuer === undefined) {
    if (!env.OPENID_ISSUER) {
      notes.push(
        'No identity provider is configured. `pnpm dev` then runs against the local Entra emulator with its own defaults (check that setup with `pnpm run doctor --dev`); `pnpm start` needs the variables reported below.',
      );
    }
  } else if (options.offline) {
    notes.push('The provider was not contacted (--offline).');
  } else {
    discovery = await checkDiscovery(
      {
        issuer,
        useEndSessionEndpoint: readVariable(env, 'OPENID_USE_END_SESSION_ENDPOINT') ?? false,
        roleTokenKind:
          (readVariable(env, 'OPENID_REQUIRED_ROLE') ?? []).length > 0
            ? readVariable(env, 'OPENID_REQUIRED_ROLE_TOKEN_KIND')
            : undefined,
      },
      { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 5000 },
    );
  }

  const certificate = config?.OPENID_CLIENT_CERTIFICATE;
  const certificateIssues: ConfigIssue[] = [];
  if (certificate) {
    notes.push(
      `Client certificate ${certificate.subject.replace(/\n/g, ', ')}, valid until ${certificate.notAfter}. Its thumbprint, as the Entra portal shows it under Certificates & secrets (SHA-1): ${certificate.sha1Thumbprint}. SHA-256: ${certificate.sha256Thumbprint} (the assertions carry it as x5t#S256 = ${certificate.x5tS256}).`,
    );
    const daysLeft = (Date.parse(certificate.notAfter) - (options.now ?? new Date()).getTime()) / 86_400_000;
    if (daysLeft < CERTIFICATE_WARNING_DAYS) {
      certificateIssues.push(
        warning(
          'OPENID_CLIENT_CERTIFICATE',
          `expires on ${certificate.notAfter}, in ${Math.max(0, Math.floor(daysLeft))} days: after that Entra refuses every sign-in and refresh`,
          'create a new certificate now, upload it beside the old one under Certificates & secrets, then switch OPENID_CLIENT_CERTIFICATE and OPENID_CLIENT_PRIVATE_KEY to it',
        ),
      );
    }
  }

  const cloud = issuer === undefined ? undefined : cloudFindings(env, issuer, discovery);
  if (cloud) notes.push(cloud.note);
  const all = [...issues, ...certificateIssues, ...(discovery?.issues ?? []), ...(cloud?.issues ?? [])];
  const errors = all.filter((issue) => issue.severity === 'error').length;
  if (config && errors === 0)
    notes.push(`Sign-in redirect URI to register with the provider: ${config.redirectUri}`);
  if (config && Array.isArray(config.OPENID_ALLOWED_TENANTS)) {
    notes.push(
      `Only people of these Microsoft Entra organisations (tenant ids) may sign in: ${config.OPENID_ALLOWED_TENANTS.join(', ')}. Anyone else ends on the access-denied page, which names their organisation's tenant id.`,
    );
  }
  if (config && config.requiredGroupNames.length > 0) {
    notes.push(
      `OPENID_REQUIRED_ROLE names Entra groups by display name (${config.requiredGroupNames.map((name) => JSON.stringify(name)).join(', ')}): the BFF resolves them to object ids through Microsoft Graph when it starts, with the app's own credentials (client credentials), and refuses to start when a name is unknown or shared by several groups. Grant the app registration the Microsoft Graph application permission GroupMember.Read.All (API permissions → Application permissions, then admin consent), or write the groups' Object IDs instead.`,
    );
  }
  return {
    issues: all,
    variables: variableRows(env, options.sources ?? {}),
    ignored: Object.entries(ignoredLibreChatVariables)
      .filter(([variable]) => env[variable] !== undefined && env[variable] !== '')
      .map(([variable, note]) => ({ variable, note })),
    ...(discovery ? { discovery } : {}),
    notes,
    errors,
    warnings: all.length - errors,
  };
}

/**
 * Which Microsoft cloud the configuration is for and from what, the Graph and SharePoint hosts the
 * BFF will send tokens to, and an error when the provider's metadata names another cloud.
 */
function cloudFindings(
  env: Env,
  issuer: string,
  discovery: DiscoveryResult | undefined,
): { note: string; issues: ConfigIssue[] } {
  const graphSet = readVariable(env, 'GRAPH_BASE_URL');
  const sharePoint = readVariable(env, 'SHAREPOINT_BASE_URL');
  const choice = chooseCloud({
    issuer,
    graphBaseUrl: graphSet,
    sharePointBaseUrl: sharePoint,
    graphScopes: readVariable(env, 'OPENID_GRAPH_SCOPES'),
  });
  const detected = detectCloud({ issuer, ...(discovery?.cloud ? { metadata: discovery.cloud } : {}) });
  const graph = graphSet ?? graphBaseUrlOf(choice.cloud);
  const issues: ConfigIssue[] = [];
  if (detected.conflict) {
    issues.push(
      error(
        'OPENID_ISSUER',
        `is ${show(issuer)}, but ${detected.conflict}`,
        "write the issuer of your tenant's cloud exactly as the Entra admin center shows it (Endpoints)",
      ),
    );
  } else if (detected.cloud && detected.cloud !== choice.cloud) {
    issues.push(
      error(
        'GRAPH_BASE_URL',
        `${graphSet ? `is ${show(graphSet)}` : `is not set, so Gatehouse would use ${graph}`}: the configuration is for ${choice.cloud.name} (${choice.from}), but the provider's metadata says ${detected.cloud.name} (${detected.from.join('; ')}); Graph tokens would go to another cloud's host`,
        `set GRAPH_BASE_URL=${graphBaseUrlOf(detected.cloud)}${sharePoint ? ` and use a SharePoint site on ${detected.cloud.sharePointSuffix}` : ''}`,
      ),
    );
  }
  const cloudLine = detected.cloud
    ? `Microsoft cloud: ${detected.cloud.name}, detected from ${detected.from.join('; ')}.`
    : detected.candidates.length > 1
      ? `Microsoft cloud: ${choice.cloud.name}, from ${choice.from}${choice.assumed ? ' (assumed: that login host serves GCC High and DoD, and the metadata was not read)' : ''}.`
      : `Microsoft cloud: none detected from ${detected.from.length > 0 ? detected.from.join('; ') : 'the issuer (not an Entra login host) or its metadata'}; Gatehouse uses ${choice.cloud.name}'s hosts (${choice.from}).`;
  const graphLine = `Microsoft Graph: ${graph} (${graphSet ? 'GRAPH_BASE_URL' : "the cloud's default"}), with scopes for ${graphResourceOf(choice.cloud)}.`;
  const sharePointLine = sharePoint
    ? `SharePoint: ${sharePoint} (SHAREPOINT_BASE_URL).`
    : `SharePoint: none configured; sites of this cloud are on *.${choice.cloud.sharePointSuffix}.`;
  return { note: [cloudLine, graphLine, sharePointLine].join(' '), issues };
}

function variableRows(env: Env, sources: Readonly<Record<string, string>>): VariableRow[] {
  return variableGroups.flatMap(({ title, variables }) =>
    variables.map((variable) => {
      const raw = env[variable]?.trim();
      const isSet = raw !== undefined && raw !== '';
      return {
        group: title,
        variable,
        value: isSet ? displaySetValue(variable, raw) : displayDefault(variable),
        isSet,
        source: isSet ? (sources[variable] ?? 'environment') : '',
      };
    }),
  );
}

function displaySetValue(variable: EnvVariable, value: string): string {
  if (variable === 'OPENID_SESSION_SECRET_PREVIOUS') {
    const count = value.split(',').filter((part) => part.trim()).length;
    return `hidden (${count} former secret${count === 1 ? '' : 's'})`;
  }
  if (variable === 'OPENID_CLIENT_PRIVATE_KEY' && !value.includes('-----BEGIN')) return value;
  if (secretVariables.includes(variable)) return `hidden (${value.length} characters)`;
  if (variable === 'OPENID_CLIENT_CERTIFICATE' && value.startsWith('-----BEGIN')) {
    return `inline PEM (${value.length} characters)`;
  }
  if (credentialUrlVariables.includes(variable)) return redactUrlCredentials(value);
  return value;
}

const dependentDefaults: Partial<Record<EnvVariable, string>> = {
  DOMAIN_CLIENT: 'default: DOMAIN_SERVER',
  OPENID_POST_LOGOUT_REDIRECT_URI: 'default: DOMAIN_CLIENT/login',
  OPENID_GRAPH_SCOPES:
    'default: none, or with people search User.Read People.Read GroupMember.Read.All User.ReadBasic.All',
  GRAPH_BASE_URL:
    "default: the Graph of OPENID_ISSUER's cloud (https://graph.microsoft.com/v1.0 in the global one)",
};

function displayDefault(variable: EnvVariable): string {
  const dependent = dependentDefaults[variable];
  if (dependent) return dependent;
  const parsed = envSchema.shape[variable].safeParse(undefined);
  if (!parsed.success) return 'not set (required)';
  const value: unknown = parsed.data;
  if (value === undefined) return 'not set';
  if (Array.isArray(value)) return value.length === 0 ? 'not set' : `default: ${value.join(' ')}`;
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return 'not set';
  if (typeof value === 'object' && value !== null && 'kind' in value) {
    return `default: SQLite at ${'path' in value ? String(value.path) : ''}`;
  }
  return `default: ${String(value)}`;
}

export interface FormatOptions {
  width?: number;
  color?: boolean;
  /** A line saying where the configuration was read from. */
  origin?: string;
}

export function formatDoctorReport(report: DoctorReport, options: FormatOptions = {}): string {
  const width = Math.max(60, options.width ?? 100);
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string) => paint('1', text);
  const lines: string[] = [bold('Gatehouse doctor')];
  if (options.origin) lines.push(options.origin);

  // One set of column widths for every group, so the tables line up.
  const columns = {
    maxColumnWidths: [36, 14],
    minColumnWidths: [
      Math.max(...report.variables.map((row) => row.variable.length)),
      Math.max(...report.variables.map((row) => row.source.length)),
    ],
  };
  for (const group of variableGroups) {
    lines.push('', bold(group.title));
    // The value comes last so that a long one wraps at the end of the line.
    const rows = report.variables
      .filter((row) => row.group === group.title)
      .map((row) => [row.variable, row.source, row.value]);
    lines.push(...renderTable(rows, { width, ...columns }));
  }

  if (report.ignored.length > 0) {
    lines.push('', bold('LibreChat variables Gatehouse does not read'));
    lines.push(
      ...renderTable(
        report.ignored.map(({ variable, note }) => [variable, note]),
        { width, maxColumnWidths: [46] },
      ),
    );
  }

  if (report.discovery) {
    lines.push('', bold(`Provider discovery: ${report.discovery.url}`));
    if (report.discovery.passed.length === 0 && report.discovery.reached) lines.push('  nothing checked out');
    for (const passed of report.discovery.passed) lines.push(`  ${paint('32', '✔')} ${passed}`);
    if (!report.discovery.reached) lines.push(`  ${paint('33', '!')} not reached (see the findings)`);
  }

  lines.push('', bold('Findings (✖ error, ! warning)'));
  if (report.issues.length === 0) lines.push(`  ${paint('32', '✔')} no problems found`);
  const ordered = [...report.issues].sort((a, b) => rank(a) - rank(b));
  lines.push(
    ...renderTable(
      ordered.map((issue) => [
        issue.severity === 'error' ? paint('31', '✖') : paint('33', '!'),
        issue.variable,
        `${sentence(issue.problem)}\nFix: ${sentence(issue.fix)}`,
      ]),
      { width, maxColumnWidths: [1, 36] },
    ),
  );

  for (const note of report.notes) lines.push('', ...renderTable([[note]], { width }));
  lines.push(
    '',
    report.errors > 0
      ? paint(
          '31',
          `${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}: Gatehouse would not start.`,
        )
      : paint(
          '32',
          `No errors, ${count(report.warnings, 'warning')}: Gatehouse would start with this configuration.`,
        ),
  );
  return `${lines.join('\n')}\n`;
}

function rank(issue: ConfigIssue): number {
  return issue.severity === 'error' ? 0 : 1;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
