import "server-only";
import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from "@urql/core";
import { randomUUID } from "node:crypto";
import { config, requireKey } from "./config";
import { getLocale } from "./i18n";
import { getShopper } from "./shopper";

export type Result<T> = { data: T | null; errors: string[] };

/**
 * One GraphQL operation against the platform's public API, as this shopper: the shop's storefront key, the customer
 * token when signed in, the device id only when the shopper agreed to personalization. Without consent a fresh
 * random id goes with each request and is never kept: offers are then chosen for nobody in particular, and the
 * platform stores nothing personal for an id that never consented.
 */
export async function run<TData, TVariables extends AnyVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: { mutation?: boolean; visitorId?: string | null; customerToken?: string } = {},
): Promise<Result<TData>> {
  const shopper = { ...(await getShopper()) };
  // An action that just changed the choice or signed in names the device and token itself (the request's cookies are the old ones).
  if (options.visitorId !== undefined) shopper.visitorId = options.visitorId;
  if (options.customerToken !== undefined) shopper.customerToken = options.customerToken;
  const headers: Record<string, string> = {
    Authorization: `Bearer ${requireKey()}`,
    "Accept-Language": await getLocale(),
  };
  if (shopper.customerToken) headers["X-Customer-Token"] = shopper.customerToken;
  if (shopper.visitorId) headers["X-Visitor-Id"] = shopper.visitorId;
  else if (!shopper.customerToken) headers["X-Visitor-Id"] = randomUUID();

  const client = new Client({
    url: `${config.platformUrl}graphql`,
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: "network-only",
    fetchOptions: { headers, cache: "no-store" },
  });
  const operation = options.mutation ? client.mutation(document, variables) : client.query(document, variables);
  const started = performance.now();
  const result = await operation.toPromise();
  // MACH_LOG_GRAPHQL=1: one line per request to the platform (the benchmark counts them per page view).
  if (process.env.MACH_LOG_GRAPHQL === "1") {
    const definition = document.definitions.find((d) => d.kind === "OperationDefinition");
    const name = definition && "name" in definition ? definition.name?.value : "anonymous";
    console.log(`graphql ${name} ${(performance.now() - started).toFixed(1)}ms`);
  }
  const errors: string[] = [];
  if (result.error?.networkError) errors.push(result.error.networkError.message);
  for (const error of result.error?.graphQLErrors ?? []) errors.push(error.message);
  if (errors.length > 0) console.warn(`storefront: ${errors.join("; ")}`);
  return { data: (result.data as TData | undefined) ?? null, errors };
}

const sharedLimit = 500;
const shared = new Map<string, { until: number; result: Promise<Result<unknown>> }>();

/**
 * A page's query as run(), but for a shopper who is nobody in particular (no yes to personalization, not signed in)
 * the answer is the same for everybody in their language: this server keeps it a few seconds, so a crowd of first
 * visits costs the platform one request per page and language. Data that is the same for every visitor who is not
 * signed in (the category tree) is shared with consenting visitors too. A failed answer is not kept.
 */
export async function runShared<TData, TVariables extends AnyVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: { lifetime?: number; sharedWithVisitors?: boolean } = {},
): Promise<Result<TData>> {
  const shopper = await getShopper();
  if (shopper.customerToken || (shopper.visitorId && !options.sharedWithVisitors)) return run(document, variables);
  const definition = document.definitions.find((d) => d.kind === "OperationDefinition");
  const key = `${await getLocale()} ${definition && "name" in definition ? definition.name?.value : ""} ${JSON.stringify(variables)}`;
  const kept = shared.get(key);
  if (kept && kept.until > Date.now()) return kept.result as Promise<Result<TData>>;
  if (shared.size >= sharedLimit) {
    for (const [old, entry] of shared) if (entry.until <= Date.now() || shared.size >= sharedLimit) shared.delete(old);
  }
  const result = run(document, variables);
  shared.set(key, { until: Date.now() + (options.lifetime ?? 10_000), result });
  result.then((answer) => answer.data || shared.delete(key), () => shared.delete(key));
  return result;
}
