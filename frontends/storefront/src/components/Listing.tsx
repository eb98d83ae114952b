import Link from "next/link";
import type { ListingFieldsFragment, ProductSort } from "@/gql/graphql";
import type { Locale, Texts } from "@/lib/i18n";
import { money } from "@/lib/format";
import { ProductCard, ProductGrid } from "./ProductCard";

export type ListingParams = { q?: string; brand?: string | string[]; after?: string; before?: string; sort?: string; min?: string; max?: string };

export const pageSize = 12;
const sorts: ProductSort[] = ["RELEVANCE", "NEWEST", "PRICE_ASC", "PRICE_DESC", "NAME"];

/** The listing's variables from the address: brands, price range, sort and the Relay cursor of the page. */
export function listingVariables(params: ListingParams, withText: boolean) {
  const brands = ([] as string[]).concat(params.brand ?? []).filter(Boolean).slice(0, 10);
  const sort = sorts.find((s) => s === params.sort && (withText || s !== "RELEVANCE"));
  const number = (value?: string) => (value && /^\d+(\.\d+)?$/.test(value) ? value : undefined);
  const filter = {
    ...(brands.length ? { brands } : {}),
    ...(number(params.min) ? { minPrice: number(params.min) } : {}),
    ...(number(params.max) ? { maxPrice: number(params.max) } : {}),
  };
  const paging = params.before ? { last: pageSize, before: params.before } : { first: pageSize, ...(params.after ? { after: params.after } : {}) };
  return { filter, sort, paging, brands };
}

/** Facets beside the products (brand and price, as links that keep the rest), and Relay paging (previous and next). */
export function Listing({ search, base, params, locale, t, withText }: { search: ListingFieldsFragment; base: string; params: ListingParams; locale: Locale; t: Texts; withText: boolean }) {
  const { brands } = listingVariables(params, withText);
  const href = (change: Partial<Record<keyof ListingParams, string | string[] | undefined>>) => {
    const next = new URLSearchParams();
    const merged = { ...params, after: undefined, before: undefined, ...change };
    for (const [key, value] of Object.entries(merged)) for (const v of ([] as (string | undefined)[]).concat(value)) if (v) next.append(key, v);
    const query = next.toString();
    return query ? `${base}?${query}` : base;
  };
  const { pageInfo, nodes } = search.products;
  return (
    <div className="listing">
      <aside className="facets" aria-label={t.filter}>
        <h2>{t.brands}</h2>
        <ul>
          {search.facets.brands.slice(0, 15).map((facet) => {
            const active = brands.includes(facet.value);
            return (
              <li key={facet.value}>
                <Link prefetch={false} href={href({ brand: active ? brands.filter((b) => b !== facet.value) : [...brands, facet.value] })} aria-current={active ? "true" : undefined} className={active ? "facet active" : "facet"}>
                  {facet.label ?? facet.value} <span className="count">({facet.count})</span>
                </Link>
              </li>
            );
          })}
        </ul>
        {search.facets.prices.length > 0 && (
          <>
            <h2>{t.price}</h2>
            <ul>
              {search.facets.prices.filter((b) => b.count > 0).map((bucket) => (
                <li key={`${bucket.from}-${bucket.to}`}>
                  <Link prefetch={false} className="facet" href={href({ min: bucket.from ?? undefined, max: bucket.to ?? undefined })}>
                    {bucket.from ? money(bucket.from, locale) : "0"} – {bucket.to ? money(bucket.to, locale) : "…"} <span className="count">({bucket.count})</span>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
        {(brands.length > 0 || params.min || params.max) && (
          <p>
            <Link prefetch={false} href={href({ brand: undefined, min: undefined, max: undefined })}>{t.resetFilters}</Link>
          </p>
        )}
      </aside>
      <div className="listing-main">
        <p className="result-count" data-testid="result-count">
          {t.results(search.totalCount)}
        </p>
        {nodes.length === 0 ? (
          <p>{t.nothingFound}</p>
        ) : (
          <ProductGrid label={t.products}>
            {nodes.map((product, i) => (
              <ProductCard key={product.id} product={product} locale={locale} t={t} priority={i < 4} />
            ))}
          </ProductGrid>
        )}
        <nav className="paging" aria-label={`${t.previous} / ${t.next}`}>
          {pageInfo.hasPreviousPage && pageInfo.startCursor && (
            <Link prefetch={false} rel="prev" href={href({ before: pageInfo.startCursor })}>
              ← {t.previous}
            </Link>
          )}
          {pageInfo.hasNextPage && pageInfo.endCursor && (
            <Link prefetch={false} rel="next" href={href({ after: pageInfo.endCursor })}>
              {t.next} →
            </Link>
          )}
        </nav>
      </div>
    </div>
  );
}
