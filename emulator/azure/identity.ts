import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The slice of Microsoft Entra ID (AAD) that MSAL's client-credentials flow needs: the
 * OpenID configuration document and the v2.0 token endpoint. Any client id and non-empty
 * secret is accepted; the access token is a JWT-shaped bearer token ARM calls must carry.
 */

const OPENID_SUFFIX = /\/(v2\.0\/)?\.well-known\/openid-configuration$/;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/(v2\.0\/)?token$/;
const TOKEN_LIFETIME_SECONDS = 3599;

export function isIdentityPath(pathname: string): boolean {
  return OPENID_SUFFIX.test(pathname) || TOKEN_PATH.test(pathname);
}

/** The action name the emulator's stats count an identity call under. */
export function identityAction(pathname: string): string {
  return TOKEN_PATH.test(pathname) ? 'oauth2/token' : 'openid-configuration';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' });
  res.end(JSON.stringify(body));
}

/** An OAuth2 error as Entra ID sends it (snake_case, AADSTS code in the description). */
function sendOAuthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, {
    error,
    error_description: description,
    error_codes: [Number(description.slice(6, description.indexOf(':')))],
  });
}

function openIdConfiguration(origin: string, pathname: string): Record<string, unknown> {
  // `/{tenant}/v2.0/.well-known/…` for AAD tenants, `/adfs/.well-known/…` for AD FS authorities.
  const authority = `${origin}${pathname.replace(OPENID_SUFFIX, '')}`;
  return {
    issuer: `${authority}/v2.0`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  };
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function accessToken(origin: string, tenant: string, clientId: string, scope: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: scope.replace(/\/?\.default$/, ''),
    iss: `${origin}/${tenant}/`,
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    appid: clientId,
    tid: tenant,
    sub: clientId,
  };
  // Unsigned on purpose: the emulator only checks shape and expiry, never a signature.
  return `${base64url({ typ: 'JWT', alg: 'none' })}.${base64url(claims)}.emulator`;
}

/** True when `token` is a bearer token this emulator issued and it has not expired. */
export function isValidAccessToken(token: string): boolean {
  const [, payload, signature] = token.split('.');
  if (!payload || signature !== 'emulator') return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
  } catch {
    return false;
  }
}

export function serveIdentity(req: IncomingMessage, body: Buffer, url: URL, res: ServerResponse): void {
  if (OPENID_SUFFIX.test(url.pathname)) {
    if (req.method !== 'GET')
      return sendOAuthError(res, 405, 'invalid_request', 'AADSTS90056: The request must use GET.');
    return sendJson(res, 200, openIdConfiguration(url.origin, url.pathname));
  }
  const tenant = TOKEN_PATH.exec(url.pathname)?.[1] as string;
  if (req.method !== 'POST')
    return sendOAuthError(res, 405, 'invalid_request', 'AADSTS900561: The endpoint only accepts POST requests.');
  const form = new URLSearchParams(body.toString('utf8'));
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id');
  const scope = form.get('scope');
  if (grantType !== 'client_credentials') {
    return sendOAuthError(
      res,
      400,
      'unsupported_grant_type',
      `AADSTS70003: The app requested an unsupported grant type '${grantType ?? ''}'.`,
    );
  }
  if (!clientId)
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
    );
  if (!form.get('client_secret')) {
    return sendOAuthError(
      res,
      401,
      'invalid_client',
      "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
  }
  if (!scope)
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      "AADSTS900144: The request body must contain the following parameter: 'scope'.",
    );
  sendJson(res, 200, {
    token_type: 'Bearer',
    expires_in: TOKEN_LIFETIME_SECONDS,
    ext_expires_in: TOKEN_LIFETIME_SECONDS,
    access_token: accessToken(url.origin, tenant, clientId, scope),
  });
}
