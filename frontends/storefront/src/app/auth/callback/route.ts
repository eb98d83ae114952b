import { NextResponse, type NextRequest } from "next/server";
import { ConsentMutation, IdentifyMutation } from "@/graphql/documents";
import { config } from "@/lib/config";
import { callbackUrl, safeReturnPath, tokenRequest } from "@/lib/customerTokens";
import { cookieNames, cookieOptions, getShopper } from "@/lib/shopper";
import { run } from "@/lib/platform";
import { cookies } from "next/headers";

/**
 * The identity service sends the shopper back with a code: checked against the state this browser started with,
 * redeemed with the PKCE verifier; the tokens stay in cookies scripts cannot read. A shopper who agreed to
 * personalization before signing in brings the device's history along (identifyVisitor) and their yes.
 */
export async function GET(request: NextRequest) {
  const jar = await cookies();
  const started = jar.get(cookieNames.signIn)?.value;
  jar.delete(cookieNames.signIn);
  const code = request.nextUrl.searchParams.get("code");
  let pending: { verifier: string; state: string; returnTo: string } | null = null;
  try {
    pending = started ? JSON.parse(started) : null;
  } catch {
    pending = null;
  }
  const home = new URL("/", config.storefrontUrl);
  if (!pending || !code || request.nextUrl.searchParams.get("state") !== pending.state) {
    const why = !pending ? "no sign-in was started in this browser (or it took over 10 minutes)" : !code ? `no code came back (${request.nextUrl.searchParams.get("error") ?? "no error given"})` : "the state differs from the one this browser started with";
    console.warn(`storefront: a sign-in callback was refused: ${why}`);
    home.searchParams.set("signin", "failed");
    return NextResponse.redirect(home);
  }

  const tokens = await tokenRequest({ grant_type: "authorization_code", code, code_verifier: pending.verifier, redirect_uri: callbackUrl() });
  if (!tokens) {
    home.searchParams.set("signin", "failed");
    return NextResponse.redirect(home);
  }

  const lifetime = tokens.expires_in ?? 3600;
  jar.set(cookieNames.accessToken, tokens.access_token, cookieOptions(lifetime));
  jar.set(cookieNames.accessTokenExpires, String(Math.floor(Date.now() / 1000) + lifetime), cookieOptions(30 * 24 * 3600));
  if (tokens.refresh_token) jar.set(cookieNames.refreshToken, tokens.refresh_token, cookieOptions(30 * 24 * 3600));

  const shopper = await getShopper();
  if (shopper.consent === "granted" && shopper.visitorId) {
    const signedIn = { mutation: true, visitorId: shopper.visitorId, customerToken: tokens.access_token };
    await run(ConsentMutation, { purpose: "personalization", granted: true, policyVersion: config.policyVersion }, signedIn);
    await run(IdentifyMutation, { visitorId: shopper.visitorId }, signedIn);
  }
  return NextResponse.redirect(new URL(safeReturnPath(pending.returnTo), config.storefrontUrl));
}
