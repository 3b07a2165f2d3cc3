import { randomBytes } from 'node:crypto';

/**
 * OAuth for the emulated Google APIs. Two kinds of bearer token reach the emulator:
 * - access tokens it issued itself on `POST /token` (the OAuth 2.0 JWT bearer grant a
 *   service-account key's `token_uri` points at), and
 * - self-signed service-account JWTs, which google-auth-library sends instead of fetching a
 *   token whenever a client sets `useJWTAccessWithScope` — as every generated Cloud client does.
 * Signatures are not checked: the emulator has no registry of service-account public keys.
 * It does check what Google checks first: the token's shape, issuer, scope or audience, and expiry.
 */

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_LIFETIME_S = 3599;

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

/** What the token endpoint answers when the grant is refused, as Google's OAuth server does. */
export interface OAuthError {
  error: 'invalid_grant' | 'unsupported_grant_type' | 'invalid_request';
  error_description: string;
}

interface JwtClaims {
  iss?: unknown;
  scope?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/** Decodes a compact JWS without verifying it; undefined when it is not one. */
function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    if (header.alg !== 'RS256') return undefined;
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

function unexpired(claims: JwtClaims, nowS: number): boolean {
  return typeof claims.exp === 'number' && claims.exp > nowS;
}

function hasCloudPlatformScope(claims: JwtClaims): boolean {
  return typeof claims.scope === 'string' && claims.scope.split(' ').includes(CLOUD_PLATFORM_SCOPE);
}

export class OAuthTokens {
  /** Issued access token → expiry in epoch seconds. */
  private readonly issued = new Map<string, number>();

  constructor(private readonly nowS: () => number = () => Math.floor(Date.now() / 1000)) {}

  /** The token endpoint: exchanges a service account's signed assertion for an access token. */
  grant(form: URLSearchParams): { status: 200; body: TokenResponse } | { status: 400; body: OAuthError } {
    if (form.get('grant_type') !== JWT_BEARER_GRANT) {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' } };
    }
    const claims = decodeJwtClaims(form.get('assertion') ?? '');
    if (!claims || typeof claims.iss !== 'string') {
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'Invalid JWT: assertion is not a signed service account JWT.',
        },
      };
    }
    if (!unexpired(claims, this.nowS())) {
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description:
            'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
        },
      };
    }
    if (!hasCloudPlatformScope(claims)) {
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Invalid OAuth scope or ID token audience provided.' },
      };
    }
    const accessToken = `ya29.emulator-${randomBytes(24).toString('base64url')}`;
    this.issued.set(accessToken, this.nowS() + ACCESS_TOKEN_LIFETIME_S);
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'Bearer' },
    };
  }

  /** Whether an `Authorization` header carries a token the API accepts for `audience` (`https://host/`). */
  authorizes(authorization: string | undefined, audience: string): boolean {
    const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
    if (!match) return false;
    const token = match[1]!;
    const issuedExpiry = this.issued.get(token);
    if (issuedExpiry !== undefined) return issuedExpiry > this.nowS();
    const claims = decodeJwtClaims(token);
    if (!claims || typeof claims.iss !== 'string' || !unexpired(claims, this.nowS())) return false;
    return hasCloudPlatformScope(claims) || claims.aud === audience;
  }
}
