import { NextResponse, type NextRequest } from "next/server";
import { config } from "@/lib/config";
import { returnPath } from "@/lib/customerTokens";
import { cookieNames, cookieOptions, oneYear } from "@/lib/shopper";

/** The language switch: the choice is kept (a necessary cookie) and the shopper returns to the page they were on. */
export async function GET(request: NextRequest) {
  const to = request.nextUrl.searchParams.get("to") === "en" ? "en" : "de";
  const response = NextResponse.redirect(new URL(returnPath(request, "back"), config.storefrontUrl), 303);
  response.cookies.set(cookieNames.language, to, { ...cookieOptions(oneYear), httpOnly: false });
  return response;
}
