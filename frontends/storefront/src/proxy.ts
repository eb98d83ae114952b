import { NextResponse, type NextRequest } from "next/server";

const platformUrl = (process.env.MACH_PLATFORM_URL ?? "http://127.0.0.1:5100/").replace(/\/?$/, "/");
const secure = process.env.MACH_STOREFRONT_URL?.startsWith("https://") ?? false;

/**
 * Keeps a signed-in customer's access token fresh: shortly before it expires the refresh token (rotating: each use
 * gives a new one) gets a new pair, before the page renders with it. A refused refresh signs the customer out.
 */
export async function proxy(request: NextRequest) {
  const refreshToken = request.cookies.get("mc_rt")?.value;
  const expires = Number(request.cookies.get("mc_at_exp")?.value ?? 0);
  if (!refreshToken || (request.cookies.has("mc_at") && expires - Date.now() / 1000 > 60)) {
    return NextResponse.next({ request: { headers: request.headers } });
  }

  const answer = await fetch(`${platformUrl}connect/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: process.env.MACH_CUSTOMER_CLIENT_ID ?? "" }),
    cache: "no-store",
  }).catch(() => null);
  const options = { httpOnly: true, sameSite: "lax" as const, secure, path: "/" };

  if (!answer?.ok) {
    request.cookies.delete(["mc_at", "mc_rt", "mc_at_exp"]);
    const response = NextResponse.next({ request: { headers: request.headers } });
    if (answer && answer.status < 500) for (const name of ["mc_at", "mc_rt", "mc_at_exp"]) response.cookies.delete(name);
    return response;
  }

  const tokens = (await answer.json()) as { access_token: string; refresh_token?: string; expires_in?: number };
  const lifetime = tokens.expires_in ?? 3600;
  const expiresAt = String(Math.floor(Date.now() / 1000) + lifetime);
  // The page rendering now sees the new token too, not only the next request.
  request.cookies.set("mc_at", tokens.access_token);
  request.cookies.set("mc_at_exp", expiresAt);
  if (tokens.refresh_token) request.cookies.set("mc_rt", tokens.refresh_token);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set("mc_at", tokens.access_token, { ...options, maxAge: lifetime });
  response.cookies.set("mc_at_exp", expiresAt, { ...options, maxAge: 30 * 24 * 3600 });
  if (tokens.refresh_token) response.cookies.set("mc_rt", tokens.refresh_token, { ...options, maxAge: 30 * 24 * 3600 });
  return response;
}

export const config = {
  // Only a signed-in customer's requests (pages and actions, not the static files): nobody else has a token to renew.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)", has: [{ type: "cookie", key: "mc_rt" }] }],
};
