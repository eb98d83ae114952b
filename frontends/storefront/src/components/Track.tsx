"use client";

import Link from "next/link";
import { useEffect } from "react";
import { setTrackingConsent, track, type ShopEvent } from "./tracking";

/** Reports what the page shows once it is shown (a product view, an offer impression, a search). */
export function TrackOnView({ events }: { events: ShopEvent[] }) {
  const key = JSON.stringify(events);
  useEffect(() => {
    for (const event of JSON.parse(key) as ShopEvent[]) track(event);
  }, [key]);
  return null;
}

/** The shopper's banner choice, handed from the server to the tracking queue. */
export function TrackingConsent({ granted }: { granted: boolean }) {
  // Set while rendering, so the page's own view events (effects that run after this) already see it.
  if (typeof window !== "undefined") setTrackingConsent(granted);
  return null;
}

/** A link that reports the click (an offer's call to action) before it navigates. */
export function TrackedLink({ href, event, className, children }: { href: string; event: ShopEvent; className?: string; children: React.ReactNode }) {
  return (
    <Link prefetch={false} href={href} className={className} onClick={() => track(event)}>
      {children}
    </Link>
  );
}
