/** Liveness (the launcher and Kubernetes ask it): the server runs. */
export function GET() {
  return Response.json({ status: "Healthy" }, { headers: { "Cache-Control": "no-store" } });
}
