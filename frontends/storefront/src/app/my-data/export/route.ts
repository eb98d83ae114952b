import { ExportQuery } from "@/graphql/documents";
import { run } from "@/lib/platform";
import { getShopper } from "@/lib/shopper";

/** The signed-in customer's GDPR export as a file (Art. 15/20): everything each of the platform's services holds. */
export async function GET() {
  if (!(await getShopper()).customerToken) {
    return Response.json({ title: "Sign in to download your data." }, { status: 401 });
  }
  const result = await run(ExportQuery, {});
  if (!result.data?.me) {
    return Response.json({ title: result.errors.join("; ") || "The export is not available right now." }, { status: 502 });
  }
  return new Response(JSON.stringify(result.data.me.export, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="my-data-${new Date().toISOString().slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
