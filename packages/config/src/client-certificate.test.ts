import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validEnv } from '../test/fixtures/env';
import { expectIssues, withChanges } from '../test/fixtures/issues';
import { formatDoctorReport, runDoctor } from './doctor';
import { checkConfig, loadConfig } from './load';

// Test-only PEM pairs made once with `openssl req -x509` (see apps/bff/test/fixtures/client-certificate).
const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../apps/bff/test/fixtures/client-certificate/${name}`, import.meta.url));
const appCertificate = fixture('app.crt');
const appKey = fixture('app.key');
const der = new X509Certificate(readFileSync(appCertificate)).raw;
const sha1 = createHash('sha1').update(der).digest('hex').toUpperCase();
const sha256 = createHash('sha256').update(der).digest();

/** The valid env with its secret swapped for a certificate. */
const withCertificate = (changes: Record<string, string | undefined> = {}) =>
  withChanges(validEnv(), {
    OPENID_CLIENT_SECRET: undefined,
    OPENID_CLIENT_CERTIFICATE: appCertificate,
    OPENID_CLIENT_PRIVATE_KEY: appKey,
    ...changes,
  });

describe('certificate credentials in the configuration', () => {
  it('stand in for the secret, read from paths, with the thumbprints Entra uses', () => {
    const config = loadConfig(withCertificate());
    expect(config.OPENID_CLIENT_SECRET).toBeUndefined();
    expect(config.OPENID_CLIENT_CERTIFICATE).toMatchObject({
      sha1Thumbprint: sha1,
      sha256Thumbprint: sha256.toString('hex').toUpperCase(),
      x5tS256: sha256.toString('base64url'),
      subject: 'CN=gatehouse-test-app',
    });
    expect(config.OPENID_CLIENT_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('take inline PEM, also written on one line with \\n escapes', () => {
    const oneLine = (path: string) => readFileSync(path, 'utf8').trim().replace(/\n/g, '\\n');
    const config = loadConfig(
      withCertificate({
        OPENID_CLIENT_CERTIFICATE: oneLine(appCertificate),
        OPENID_CLIENT_PRIVATE_KEY: readFileSync(appKey, 'utf8'),
      }),
    );
    expect(config.OPENID_CLIENT_CERTIFICATE?.sha1Thumbprint).toBe(sha1);
  });

  it('a secret keeps working alone (LibreChat .env unchanged)', () => {
    expect(checkConfig(validEnv()).issues).toEqual([]);
  });

  it('neither a secret nor a certificate: the secret is named, with both ways to fix it', () => {
    expectIssues(checkConfig(withChanges(validEnv(), { OPENID_CLIENT_SECRET: undefined })).issues, [
      {
        variable: 'OPENID_CLIENT_SECRET',
        severity: 'error',
        problem: /is not set, and no certificate/,
        fix: /Value.*OPENID_CLIENT_CERTIFICATE and OPENID_CLIENT_PRIVATE_KEY/,
      },
    ]);
  });

  it('a secret and a certificate together are refused', () => {
    const env = withCertificate({ OPENID_CLIENT_SECRET: validEnv().OPENID_CLIENT_SECRET });
    expectIssues(checkConfig(env).issues, [
      {
        variable: 'OPENID_CLIENT_SECRET',
        severity: 'error',
        problem: /together with OPENID_CLIENT_CERTIFICATE: set one credential only/,
        fix: /remove OPENID_CLIENT_SECRET/,
      },
    ]);
  });

  it('a certificate without its key, and a key without its certificate', () => {
    expectIssues(checkConfig(withCertificate({ OPENID_CLIENT_PRIVATE_KEY: undefined })).issues, [
      {
        variable: 'OPENID_CLIENT_PRIVATE_KEY',
        severity: 'error',
        problem: /is not set/,
        fix: /PEM private key/,
      },
    ]);
    expectIssues(checkConfig(withCertificate({ OPENID_CLIENT_CERTIFICATE: undefined })).issues, [
      {
        variable: 'OPENID_CLIENT_CERTIFICATE',
        severity: 'error',
        problem: /is not set/,
        fix: /PEM certificate/,
      },
    ]);
  });

  it('an unreadable path names the file and the error', () => {
    const { issues } = checkConfig(withCertificate({ OPENID_CLIENT_CERTIFICATE: '/nonexistent/app.crt' }));
    expectIssues(issues, [
      {
        variable: 'OPENID_CLIENT_CERTIFICATE',
        severity: 'error',
        problem: /"\/nonexistent\/app\.crt", which cannot be read \(ENOENT\)/,
        fix: /path of the certificate in PEM/,
      },
    ]);
  });

  it('a file that is not PEM, and a certificate given as the key', () => {
    const { issues } = checkConfig(
      withCertificate({
        OPENID_CLIENT_CERTIFICATE: fileURLToPath(import.meta.url),
        OPENID_CLIENT_PRIVATE_KEY: appCertificate,
      }),
    );
    expectIssues(issues, [
      {
        variable: 'OPENID_CLIENT_CERTIFICATE',
        severity: 'error',
        problem: /not a PEM certificate/,
        fix: /as PEM/,
      },
      {
        variable: 'OPENID_CLIENT_PRIVATE_KEY',
        severity: 'error',
        problem: /not a PEM private key/,
        fix: /unencrypted PEM key/,
      },
    ]);
  });

  it('an EC key is refused: the assertions are signed RS256', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expectIssues(checkConfig(withCertificate({ OPENID_CLIENT_PRIVATE_KEY: ecKey })).issues, [
      {
        variable: 'OPENID_CLIENT_PRIVATE_KEY',
        severity: 'error',
        problem: /is a ec key; Entra's certificate credentials are RSA/,
        fix: /RSA certificate/,
      },
    ]);
  });

  it('an encrypted key is refused: the BFF cannot ask for a passphrase', () => {
    const encrypted = createPrivateKey(readFileSync(appKey))
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'passphrase' })
      .toString();
    expectIssues(checkConfig(withCertificate({ OPENID_CLIENT_PRIVATE_KEY: encrypted })).issues, [
      {
        variable: 'OPENID_CLIENT_PRIVATE_KEY',
        severity: 'error',
        problem: /encrypted private key/,
        fix: /openssl pkey/,
      },
    ]);
  });

  it("a key that is not the certificate's is refused with the thumbprint", () => {
    const { issues } = checkConfig(withCertificate({ OPENID_CLIENT_PRIVATE_KEY: fixture('other.key') }));
    expectIssues(issues, [
      {
        variable: 'OPENID_CLIENT_PRIVATE_KEY',
        severity: 'error',
        problem: new RegExp(`not the private key of the certificate.*${sha1}`),
        fix: /AADSTS700027/,
      },
    ]);
  });

  it('an expired certificate is refused with its date', () => {
    const { issues } = checkConfig(
      withCertificate({
        OPENID_CLIENT_CERTIFICATE: fixture('expired.crt'),
        OPENID_CLIENT_PRIVATE_KEY: fixture('expired.key'),
      }),
    );
    expectIssues(issues, [
      {
        variable: 'OPENID_CLIENT_CERTIFICATE',
        severity: 'error',
        problem: /expired on 2021-01-01T00:00:00\.000Z/,
        fix: /upload it under Certificates & secrets/,
      },
    ]);
  });
});

describe('the doctor and the client certificate', () => {
  const notAfter = Date.parse(new X509Certificate(readFileSync(appCertificate)).validTo);

  it('shows both thumbprints to register and hides the key', async () => {
    const report = await runDoctor({ env: withCertificate(), offline: true });
    expect(report.issues).toEqual([]);
    const text = formatDoctorReport(report, { width: 400 });
    expect(text).toContain(`(SHA-1): ${sha1}`);
    expect(text).toContain(`SHA-256: ${sha256.toString('hex').toUpperCase()}`);
    expect(text).toContain(`x5t#S256 = ${sha256.toString('base64url')}`);
    // A path is shown (the file is the secret, not its name).
    expect(text).toMatch(/OPENID_CLIENT_PRIVATE_KEY +environment +\S*app\.key/);
    expect(text).not.toContain('BEGIN PRIVATE KEY');
  });

  it('hides an inline key and abbreviates an inline certificate', async () => {
    const env = withCertificate({
      OPENID_CLIENT_CERTIFICATE: readFileSync(appCertificate, 'utf8'),
      OPENID_CLIENT_PRIVATE_KEY: readFileSync(appKey, 'utf8'),
    });
    const text = formatDoctorReport(await runDoctor({ env, offline: true }), { width: 400 });
    expect(text).toMatch(/OPENID_CLIENT_CERTIFICATE +environment +inline PEM \(\d+ characters\)/);
    expect(text).toMatch(/OPENID_CLIENT_PRIVATE_KEY +environment +hidden \(\d+ characters\)/);
    expect(text).not.toContain('BEGIN PRIVATE KEY');
    expect(text).not.toContain('BEGIN CERTIFICATE');
  });

  it('names an unreadable key file (a path is not redacted like the key itself)', () => {
    const { issues } = checkConfig(withCertificate({ OPENID_CLIENT_PRIVATE_KEY: '/nonexistent/app.key' }));
    expectIssues(issues, [
      {
        variable: 'OPENID_CLIENT_PRIVATE_KEY',
        severity: 'error',
        problem: /"\/nonexistent\/app\.key", which cannot be read \(ENOENT\)/,
        fix: /path of the private key/,
      },
    ]);
  });

  it('warns when the certificate expires within 30 days, not before', async () => {
    const soon = await runDoctor({
      env: withCertificate(),
      offline: true,
      now: new Date(notAfter - 10 * 86_400_000),
    });
    expectIssues(soon.issues, [
      {
        variable: 'OPENID_CLIENT_CERTIFICATE',
        severity: 'warning',
        problem: /expires on .*, in 10 days/,
        fix: /upload it beside the old one/,
      },
    ]);
    expect(soon.warnings).toBe(1);
    const later = await runDoctor({
      env: withCertificate(),
      offline: true,
      now: new Date(notAfter - 31 * 86_400_000),
    });
    expect(later.issues).toEqual([]);
  });
});
