import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";

/** Cookie names: the consent choice and language are necessary; the visitor id exists only with consent. */
export const cookieNames = {
  consent: "mc_consent",
  visitor: "mc_visitor",
  language: "mc_lang",
  accessToken: "mc_at",
  refreshToken: "mc_rt",
  accessTokenExpires: "mc_at_exp",
  signIn: "mc_signin",
} as const;

export type ConsentChoice = "granted" | "denied" | null;

/** Who is shopping: their banner choice, their device id (only when they agreed) and the customer token when signed in. */
export const getShopper = cache(async () => {
  const jar = await cookies();
  const consentValue = jar.get(cookieNames.consent)?.value;
  const consent: ConsentChoice = consentValue === "granted" || consentValue === "denied" ? consentValue : null;
  const visitor = jar.get(cookieNames.visitor)?.value;
  return {
    consent,
    visitorId: consent === "granted" && visitor && isVisitorId(visitor) ? visitor : null,
    customerToken: jar.get(cookieNames.accessToken)?.value ?? null,
  };
});

export function isVisitorId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Options for the cookies this storefront sets: never readable by scripts, sent only to this site. */
export function cookieOptions(maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: process.env.MACH_STOREFRONT_URL?.startsWith("https://") ?? false,
    path: "/",
    maxAge: maxAgeSeconds,
  };
}

export const oneYear = 365 * 24 * 3600;
