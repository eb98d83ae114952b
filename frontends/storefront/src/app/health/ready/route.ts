import { config } from "@/lib/config";

/**
 * Readiness: this server has its storefront key and reaches the platform's gateway (its own liveness answer). A
 * storefront that cannot reach the platform shows no products, so it takes no traffic until it can.
 */
export async function GET() {
  const checks: Record<string, string> = { storefrontKey: config.storefrontKey ? "Healthy" : "Unhealthy" };
  try {
    const gateway = await fetch(`${config.platformUrl}health/live`, { cache: "no-store", signal: AbortSignal.timeout(2000) });
    checks.gateway = gateway.ok ? "Healthy" : "Unhealthy";
  } catch {
    checks.gateway = "Unhealthy";
  }
  const healthy = Object.values(checks).every((status) => status === "Healthy");
  return Response.json({ status: healthy ? "Healthy" : "Unhealthy", checks }, { status: healthy ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
