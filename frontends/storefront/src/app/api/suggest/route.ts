import type { NextRequest } from "next/server";
import { SuggestQuery } from "@/graphql/documents";
import { run } from "@/lib/platform";

/** Product names for the search field's suggestions (the search is typo-tolerant, so "rasnmäher" suggests lawnmowers). */
export async function GET(request: NextRequest) {
  const query = (request.nextUrl.searchParams.get("q") ?? "").trim().slice(0, 100);
  if (!/[\p{L}\p{N}]/u.test(query)) return Response.json([]);
  const result = await run(SuggestQuery, { query });
  const names = [...new Set(result.data?.search?.products.nodes.map((p) => p.name) ?? [])];
  return Response.json(names, { headers: { "Cache-Control": "private, max-age=60" } });
}
