/**
 * `pnpm emulator`: the Entra emulator alone, on EMULATOR_PORT (default 3090) of localhost, and the
 * emulated SharePoint site (File Picker page, `/_api/v2.0`) on EMULATOR_SHAREPOINT_PORT (default 3091)
 * of 127.0.0.1.
 */
import {
  contosoSeed,
  GATEHOUSE_CLIENT_ID,
  GATEHOUSE_CLIENT_SECRET,
  GATEHOUSE_REDIRECT_URI,
} from './seed/contoso';
import { FABRIKAM_PASSWORD, FABRIKAM_TENANT_ID } from './seed/fabrikam';
import { startEmulator } from './start-emulator';

async function main() {
  const port = parsePort(process.env.EMULATOR_PORT, 'EMULATOR_PORT', 3090);
  const sharepointPort = parsePort(process.env.EMULATOR_SHAREPOINT_PORT, 'EMULATOR_SHAREPOINT_PORT', 3091);
  const emulator = await startEmulator({
    port,
    host: process.env.EMULATOR_HOST ?? 'localhost',
    sharepointUrl: `http://127.0.0.1:${sharepointPort}`,
  });
  const users = contosoSeed.users;
  const lines = [
    '',
    '  Gatehouse Entra emulator',
    `  Issuer          ${emulator.issuer}`,
    `  Discovery       ${emulator.issuer}/.well-known/openid-configuration`,
    `  Graph           ${emulator.url}/v1.0`,
    `  Control API     ${emulator.url}/_emulator`,
    `  SharePoint      ${emulator.sharepointUrl} (File Picker: ${emulator.sharepointUrl}/_layouts/15/FilePicker.aspx)`,
    `  Client id       ${GATEHOUSE_CLIENT_ID}`,
    `  Client secret   ${GATEHOUSE_CLIENT_SECRET}`,
    `  Redirect URI    ${GATEHOUSE_REDIRECT_URI}`,
    '',
    '  Demo users (password Passw0rd!):',
    '    adele@contoso.test   Adele Vance  — has the Gatehouse.User app role, member of Marketing',
    '    alex@contoso.test    Alex Wilber  — no app role (refused when the role is required)',
    '    megan@contoso.test   Megan Bowen  — app role, 250 groups (groups overage), owns Marketing',
    `    … ${users.length - 3} more in the Contoso directory`,
    '',
    `  Another organisation, Fabrikam (tenant ${FABRIKAM_TENANT_ID}, password ${FABRIKAM_PASSWORD}):`,
    '    ravi@fabrikam.onmicrosoft.com, sofia@…, tomas@… — sign in only to a multi-tenant app',
    '',
  ];
  console.log(lines.join('\n'));
  const stop = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${value}".`);
  }
  return port;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
