import { money } from "@/lib/format";
import type { Locale, Texts } from "@/lib/i18n";

/** A member shop of the cooperative that sells a product: where, how far, its price and stock there, its page. */
export function MemberShopLine({
  shop,
  locale,
  t,
}: {
  shop: { name: string; city?: string | null; distanceKm?: number | null; price: number; currency: string; available: boolean; url?: string | null };
  locale: Locale;
  t: Texts;
}) {
  return (
    <>
      <strong>{shop.name}</strong>
      {shop.city && <span>, {shop.city}</span>}
      {shop.distanceKm != null && <span> · {t.kmAway(shop.distanceKm.toLocaleString(locale, { maximumFractionDigits: 0 }))}</span>}
      <span> · {money(shop.price, locale, shop.currency)}</span>
      <span> · {shop.available ? t.inStock : t.notInStock}</span>
      {shop.url && (
        <>
          {" · "}
          <a href={shop.url} rel="noopener">
            {t.toShop}
          </a>
        </>
      )}
    </>
  );
}
