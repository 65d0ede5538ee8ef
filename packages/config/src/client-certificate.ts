/**
 * Certificate credentials (Entra's "Certificates & secrets → Certificates"): the app signs a client
 * assertion with its private key and Entra finds the registered certificate by its thumbprint. Both
 * variables take a file path or the PEM text itself (`\n` escapes allowed, for one-line .env values).
 */
import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Invalid, invalid } from './fields';

export interface ClientCertificate {
  /** The certificate in PEM, as read. */
  pem: string;
  /** SHA-1 of the DER certificate in upper-case hex: the "Thumbprint" column in the Entra portal. */
  sha1Thumbprint: string;
  /** SHA-256 of the DER certificate in upper-case hex. */
  sha256Thumbprint: string;
  /** The same SHA-256 in base64url: the assertion header's `x5t#S256`. */
  x5tS256: string;
  subject: string;
  /** ISO 8601. */
  notAfter: string;
}

const pemBlock = (label: string) => new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`);
const certificateBlock = pemBlock('CERTIFICATE');
const privateKeyBlock = pemBlock('(?:RSA |EC )?PRIVATE KEY');

/** The PEM text of a value that is either inline PEM or a path to a PEM file. */
function readPem(value: string, what: string): string | Invalid {
  if (value.startsWith('-----BEGIN')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    return invalid(
      `names the file ${JSON.stringify(value)}, which cannot be read (${code})`,
      `give the path of the ${what} in PEM, readable by the BFF's user, or the PEM text itself`,
    );
  }
}

export function parseClientCertificate(value: string | undefined, now = new Date()) {
  if (value === undefined) return undefined;
  const text = readPem(value, 'certificate');
  if (typeof text !== 'string') return text;
  const block = certificateBlock.exec(text)?.[0];
  const notPem = invalid(
    'is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)',
    'export the certificate you uploaded to the app registration as PEM (openssl x509 -in cert.cer -inform der -out cert.pem)',
  );
  if (!block) return notPem;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(block);
  } catch {
    return notPem;
  }
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= now.getTime()) {
    return invalid(
      `holds a certificate that expired on ${notAfter.toISOString()} (Entra refuses its assertions)`,
      'create a new certificate, upload it under Certificates & secrets, and point this variable and OPENID_CLIENT_PRIVATE_KEY at it',
    );
  }
  const sha256 = createHash('sha256').update(certificate.raw).digest();
  const result: ClientCertificate = {
    pem: block,
    sha1Thumbprint: certificate.fingerprint.replace(/:/g, ''),
    sha256Thumbprint: sha256.toString('hex').toUpperCase(),
    x5tS256: sha256.toString('base64url'),
    subject: certificate.subject,
    notAfter: notAfter.toISOString(),
  };
  return result;
}

export function parseClientPrivateKey(value: string | undefined): string | undefined | Invalid {
  if (value === undefined) return undefined;
  const text = readPem(value, 'private key');
  if (typeof text !== 'string') return text;
  const block = privateKeyBlock.exec(text)?.[0];
  if (!block) {
    return invalid(
      /ENCRYPTED PRIVATE KEY/.test(text)
        ? 'is an encrypted private key; the BFF cannot ask for its passphrase'
        : 'is not a PEM private key (expected -----BEGIN PRIVATE KEY-----)',
      'give the unencrypted PEM key of the certificate (openssl pkey -in key.pem -out plain.pem), kept readable only by the BFF',
    );
  }
  try {
    const key = createPrivateKey(block);
    // The BFF signs RS256, as Entra's certificate credentials expect.
    if (key.asymmetricKeyType !== 'rsa') {
      return invalid(
        `is a ${key.asymmetricKeyType} key; Entra's certificate credentials are RSA`,
        'create an RSA certificate (openssl req -x509 -newkey rsa:2048 …)',
      );
    }
  } catch {
    return invalid('is not a readable private key', 'give the unencrypted PEM key of the certificate');
  }
  return block;
}

/** Whether `keyPem` is the private key of `certificatePem`. */
export function keyMatchesCertificate(keyPem: string, certificatePem: string): boolean {
  const key: KeyObject = createPrivateKey(keyPem);
  return new X509Certificate(certificatePem).checkPrivateKey(key);
}
