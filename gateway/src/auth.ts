import { type Caller, callerFromClaims, hmacKey, SCOPES, unauthenticated } from '@trellis/kit';
import { createRemoteJWKSet, decodeProtectedHeader, type JWTVerifyGetKey, jwtVerify } from 'jose';

export interface AuthConfig {
  /** HS256 secret (AUTH_JWT_SECRET) */
  jwtSecret?: string;
  /** JWKS endpoint for asymmetric tokens (AUTH_JWKS_URL) */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** only the embedded demo on loopback: a request without a token acts as the demo administrator */
  demoAdmin: boolean;
}

export const DEMO_ADMIN: Caller = { subject: 'demo-admin', orgId: null, scopes: new Set(SCOPES) };

/** Verifies `Authorization: Bearer <JWT>` at the edge and answers the caller. */
export function createAuthenticator(config: AuthConfig) {
  const secret = config.jwtSecret ? hmacKey(config.jwtSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : undefined;
  const options = {
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
    requiredClaims: ['exp', 'sub'],
  };

  return async function authenticate(authorization: string | undefined): Promise<Caller> {
    if (!authorization) {
      if (config.demoAdmin) return DEMO_ADMIN;
      throw unauthenticated();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    let claims: Record<string, unknown> | undefined;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256' && secret) {
        claims = (await jwtVerify(token, await secret, { ...options, algorithms: ['HS256'] }))
          .payload;
      } else if (alg !== 'HS256' && alg !== 'none' && jwks) {
        claims = (await jwtVerify(token, jwks, options)).payload;
      }
    } catch {
      // fall through: any verification failure is the same answer, with no detail to probe
    }
    if (!claims) throw unauthenticated('the bearer token is invalid or expired');
    // a verified token may still carry claims we cannot use (an org that is no organization id)
    return callerFromClaims(claims);
  };
}
