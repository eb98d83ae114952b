import "server-only";
import { config } from "./config";

export type TokenAnswer = { access_token: string; refresh_token?: string; expires_in?: number };

/** The identity service's token endpoint (through the gateway), as a public client: the code with its PKCE verifier, or a refresh. */
export async function tokenRequest(form: Record<string, string>): Promise<TokenAnswer | null> {
  const response = await fetch(`${config.platformUrl}connect/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: config.customerClientId, ...form }),
    cache: "no-store",
  });
  if (!response.ok) {
    console.warn(`storefront: the token endpoint answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return null;
  }
  return (await response.json()) as TokenAnswer;
}

export const callbackUrl = () => `${config.storefrontUrl}auth/callback`;

/** Only a path of this storefront is a place to return to after signing in (never another site). */
export function safeReturnPath(value: string | null | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

/**
 * Where to return after signing in or switching the language: the address's own parameter, else the page the link
 * was on (the Referer of this same site), else the home page. Pages need not know their own address for it.
 */
export function returnPath(request: { headers: Headers; nextUrl: URL }, parameter: string): string {
  const given = request.nextUrl.searchParams.get(parameter);
  if (given) return safeReturnPath(given);
  const referer = request.headers.get("referer");
  if (!referer) return "/";
  try {
    const from = new URL(referer);
    return from.host === request.headers.get("host") ? safeReturnPath(from.pathname + from.search) : "/";
  } catch {
    return "/";
  }
}
