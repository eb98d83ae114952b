import { TrackMutation } from "@/graphql/documents";
import type { EventInput } from "@/gql/graphql";
import { run } from "@/lib/platform";
import { getShopper } from "@/lib/shopper";

const types = new Set(["PRODUCT_VIEWED", "ADDED_TO_CART", "SEARCHED", "CATEGORY_VIEWED", "OFFER_SHOWN", "OFFER_CLICKED"]);
const fields = ["id", "type", "productId", "sku", "categoryId", "quantity", "price", "query", "offerId", "decisionId", "placement", "occurredAt"] as const;

/**
 * The browser's batched behaviour events, passed on through trackEvents only when the shopper said yes: this check
 * is the server's, so a script that ignores the banner still records nothing.
 */
export async function POST(request: Request) {
  const shopper = await getShopper();
  if (shopper.consent !== "granted" || (!shopper.visitorId && !shopper.customerToken)) {
    return new Response(null, { status: 204 });
  }

  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ title: "The body must be JSON: {\"events\": [...]}" }, { status: 400 });
  }
  const events = (body as { events?: unknown[] })?.events;
  if (!Array.isArray(events) || events.length === 0 || events.length > 100) {
    return Response.json({ title: "events must hold 1 to 100 events." }, { status: 400 });
  }
  const batch: EventInput[] = [];
  for (const raw of events) {
    const event = raw as Record<string, unknown>;
    if (typeof event?.type !== "string" || !types.has(event.type)) continue;
    const clean: Record<string, unknown> = { consent: true };
    for (const field of fields) if (event[field] !== undefined && event[field] !== null) clean[field] = event[field];
    batch.push(clean as EventInput);
  }
  if (batch.length === 0) return new Response(null, { status: 204 });
  const result = await run(TrackMutation, { events: batch }, { mutation: true });
  return result.data ? Response.json(result.data.trackEvents, { status: 202 }) : Response.json({ title: result.errors.join("; ") }, { status: 502 });
}
