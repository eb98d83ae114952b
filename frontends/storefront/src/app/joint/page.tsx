import type { Metadata } from "next";
import { MemberShopLine } from "@/components/MemberShopLine";
import { JointSearchQuery } from "@/graphql/documents";
import { money } from "@/lib/format";
import { getLocale, getTexts } from "@/lib/i18n";
import { runShared } from "@/lib/platform";

type Props = { searchParams: Promise<{ q?: string; plz?: string; brand?: string }> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = await searchParams;
  const t = await getTexts();
  return { title: q ? t.jointSearchFor(q.slice(0, 60)) : t.jointSearch };
}

/**
 * The cooperative's shops as one assortment ("gemeinsam vermarkten"): one search over every member shop's products,
 * one hit per product with the shops that sell it, nearest first with the shopper's postcode, each linked to the
 * product's page at that shop. A shop outside any cooperative says so.
 */
export default async function JointSearchPage({ searchParams }: Props) {
  const [locale, t, params] = await Promise.all([getLocale(), getTexts(), searchParams]);
  const text = (params.q ?? "").trim().slice(0, 200);
  const postcode = /^[0-9]{5}$/.test(params.plz?.trim() ?? "") ? params.plz!.trim() : null;
  const brand = params.brand?.trim() || null;
  const result = /[\p{L}\p{N}]/u.test(text) ? await runShared(JointSearchQuery, { query: text, postcode, brand, first: 20 }) : null;
  if (result && !result.data && result.errors.length > 0) throw new Error(result.errors.join("; "));
  const joint = result?.data?.jointSearch;
  return (
    <>
      <h1>{text ? t.jointSearchFor(text) : t.jointSearch}</h1>
      <form method="get" action="/joint" className="postcode-form" role="search">
        <label htmlFor="joint-q">{t.searchLabel}</label>
        <input id="joint-q" name="q" type="search" defaultValue={text} required />
        <label htmlFor="plz">{t.yourPostcode}</label>
        <input id="plz" name="plz" inputMode="numeric" pattern="[0-9]{5}" maxLength={5} defaultValue={postcode ?? ""} />
        <button type="submit">{t.search}</button>
      </form>
      {result && joint === null && (
        <p className="note" data-testid="no-cooperative">
          {t.jointNoCooperative}
        </p>
      )}
      {joint && (
        <>
          <p data-testid="joint-total">{t.jointTotal(joint.totalCount)}</p>
          {joint.brands.length > 1 && (
            <nav aria-label={t.allBrands} className="brand-filter">
              <a href={`/joint?${new URLSearchParams({ q: text, ...(postcode ? { plz: postcode } : {}) })}`} aria-current={brand ? undefined : "page"}>
                {t.allBrands}
              </a>
              {joint.brands.map((b) => (
                <a
                  key={b.value}
                  href={`/joint?${new URLSearchParams({ q: text, brand: b.value, ...(postcode ? { plz: postcode } : {}) })}`}
                  aria-current={brand === b.value ? "page" : undefined}
                >
                  {b.value} ({b.count})
                </a>
              ))}
            </nav>
          )}
          {joint.items.length === 0 && <p className="note">{t.jointNothing}</p>}
          <ul className="joint-results" data-testid="joint-results">
            {joint.items.map((item) => (
              <li key={item.sku} data-sku={item.sku}>
                <h2>{item.name}</h2>
                <p>
                  {item.brand && <span>{item.brand} · </span>}
                  {t.fromPrice(money(item.lowestPrice, locale))} · {t.shopCount(item.shopCount)}
                </p>
                <ul>
                  {item.shops.map((shop) => (
                    <li key={shop.shopId}>
                      <MemberShopLine shop={shop} locale={locale} t={t} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
