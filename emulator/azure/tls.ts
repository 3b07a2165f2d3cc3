import { generate } from 'selfsigned';

export interface TlsKeyPair {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for the emulator's https server. The Azure SDK's bearer-token
 * policy refuses plain http, so ARM and the token endpoint are served over TLS; agents trust
 * this certificate through NODE_EXTRA_CA_CERTS. It names localhost and the loopback
 * addresses so any local base URL verifies.
 */
export async function createSelfSignedCert(): Promise<TlsKeyPair> {
  const pems = await generate([{ name: 'commonName', value: 'driftmgr-emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
