import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { cookieNames } from "@/lib/shopper";

/** Signs the customer out of this storefront: the tokens are dropped (the device id and the consent choice stay). */
export async function POST() {
  const response = NextResponse.redirect(new URL("/", config.storefrontUrl), 303);
  for (const name of [cookieNames.accessToken, cookieNames.refreshToken, cookieNames.accessTokenExpires]) response.cookies.delete(name);
  return response;
}
