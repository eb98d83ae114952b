"use server";

import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ConsentMutation, EraseMutation, IdentifyMutation, TrackMutation } from "@/graphql/documents";
import { config } from "./config";
import { run } from "./platform";
import { cookieNames, cookieOptions, getShopper, oneYear } from "./shopper";

/**
 * The banner's (or the my-data page's) answer. Yes: a random device id from now on, and the platform hears the yes.
 * No: the device id is forgotten here, and if there was one the platform hears the no, which deletes what the yes
 * allowed. A signed-in customer's answer is recorded as the profile's personalization consent.
 */
export async function chooseConsent(granted: boolean): Promise<void> {
  const jar = await cookies();
  const shopper = await getShopper();
  jar.set(cookieNames.consent, granted ? "granted" : "denied", cookieOptions(oneYear));
  const answer = { type: "CONSENT_ANSWERED" as const, consent: granted };
  if (granted) {
    const visitorId = shopper.visitorId ?? jar.get(cookieNames.visitor)?.value ?? randomUUID();
    jar.set(cookieNames.visitor, visitorId, cookieOptions(oneYear));
    if (shopper.customerToken) {
      await run(ConsentMutation, { purpose: "personalization", granted: true, policyVersion: config.policyVersion }, { mutation: true, visitorId });
      await run(IdentifyMutation, { visitorId }, { mutation: true, visitorId });
    } else {
      await run(TrackMutation, { events: [answer] }, { mutation: true, visitorId });
    }
  } else {
    const visitorId = jar.get(cookieNames.visitor)?.value;
    jar.delete(cookieNames.visitor);
    if (shopper.customerToken) {
      await run(ConsentMutation, { purpose: "personalization", granted: false, policyVersion: config.policyVersion }, { mutation: true, visitorId: null });
    } else if (visitorId) {
      await run(TrackMutation, { events: [answer] }, { mutation: true, visitorId });
    }
  }
  revalidatePath("/", "layout");
}

/**
 * The signed-in customer's answer to sharing their contact with the shop's cooperative (asked only by a member shop
 * of one); recorded with its history like every consent, and withdrawn as easily.
 */
export async function chooseCooperativeConsent(granted: boolean): Promise<{ error: string } | null> {
  const result = await run(ConsentMutation, { purpose: "cooperative", granted, policyVersion: config.policyVersion }, { mutation: true });
  revalidatePath("/my-data");
  return result.data ? null : { error: result.errors.join("; ") || "not recorded" };
}

/** The signed-in customer's erasure request; they are signed out here, since the account's profile is gone. */
export async function eraseMe(): Promise<{ error: string }> {
  const result = await run(EraseMutation, {}, { mutation: true });
  if (!result.data) return { error: result.errors.join("; ") || "erasure failed" };
  const jar = await cookies();
  for (const name of [cookieNames.accessToken, cookieNames.refreshToken, cookieNames.accessTokenExpires, cookieNames.visitor]) jar.delete(name);
  redirect(`/my-data?erased=${encodeURIComponent(result.data.eraseMe.id)}`);
}
