"use client";

/** A behaviour event as the platform's trackEvents takes it (the id makes a resent batch count once). */
export type ShopEvent = {
  type: "PRODUCT_VIEWED" | "ADDED_TO_CART" | "SEARCHED" | "CATEGORY_VIEWED" | "OFFER_SHOWN" | "OFFER_CLICKED";
  productId?: string;
  sku?: string;
  categoryId?: string;
  quantity?: number;
  price?: string;
  query?: string;
  offerId?: string;
  decisionId?: string;
  placement?: string;
};

let consented = false;
let queue: (ShopEvent & { id: string; occurredAt: string })[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

/** Set by the layout from the shopper's choice: nothing is queued, let alone sent, without a yes. */
export function setTrackingConsent(granted: boolean) {
  consented = granted;
  if (!granted) queue = [];
}

/** Queues an event; the queue goes out in one batch a moment later, or when the page is left. */
export function track(event: ShopEvent) {
  if (!consented) return;
  queue.push({ ...event, id: crypto.randomUUID(), occurredAt: new Date().toISOString() });
  timer ??= setTimeout(flush, 1500);
}

export function flush() {
  clearTimeout(timer);
  timer = undefined;
  if (queue.length === 0) return;
  const body = JSON.stringify({ events: queue.splice(0, queue.length) });
  // sendBeacon survives leaving the page; fetch with keepalive where it is missing.
  if (!navigator.sendBeacon?.("/api/events", new Blob([body], { type: "application/json" }))) {
    void fetch("/api/events", { method: "POST", body, headers: { "Content-Type": "application/json" }, keepalive: true });
  }
}

if (typeof window !== "undefined") {
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flush());
}
