import { createHash, randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { config } from "@/lib/config";
import { callbackUrl, returnPath } from "@/lib/customerTokens";
import { getLocale } from "@/lib/i18n";
import { cookieNames, cookieOptions } from "@/lib/shopper";

/** Starts the customer's sign-in at the identity service: authorization code with PKCE (S256), state bound to this browser. */
export async function GET(request: NextRequest) {
  if (!config.customerClientId) {
    return NextResponse.json({ title: "Customer sign-in is not set up: give this storefront MACH_CUSTOMER_CLIENT_ID." }, { status: 503 });
  }
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const returnTo = returnPath(request, "returnTo");
  const authorize = new URL("connect/authorize", config.publicPlatformUrl);
  authorize.search = new URLSearchParams({
    client_id: config.customerClientId,
    redirect_uri: callbackUrl(),
    response_type: "code",
    scope: "openid offline_access email",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ui_locales: await getLocale(),
  }).toString();
  const response = NextResponse.redirect(authorize);
  response.cookies.set(cookieNames.signIn, JSON.stringify({ verifier, state, returnTo }), cookieOptions(600));
  return response;
}
