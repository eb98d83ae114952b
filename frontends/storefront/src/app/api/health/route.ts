/** Liveness for the launcher and Kubernetes: the server runs (the platform's own health is the gateway's). */
export function GET() {
  return Response.json({ status: "Healthy" }, { headers: { "Cache-Control": "no-store" } });
}
