import type { PriceFieldsFragment } from "@/gql/graphql";
import { money } from "@/lib/format";
import type { Locale, Texts } from "@/lib/i18n";

/** Gross with "incl. VAT" for consumers; net with "excl. VAT" and the price list for a business customer. */
export function Price({ price, locale, t, large }: { price: PriceFieldsFragment; locale: Locale; t: Texts; large?: boolean }) {
  return (
    <div className={large ? "price price-large" : "price"} data-testid="price" data-display={price.displayGross ? "gross" : "net"}>
      {!price.displayGross && <span className="price-label">{t.netPrice} </span>}
      <strong>{money(price.amount, locale, price.currency)}</strong>
      {price.compareAt && (
        <s className="price-was">
          {" "}
          {t.was} {money(price.compareAt, locale, price.currency)}
        </s>
      )}
      <small className="price-vat">
        {" "}
        {price.displayGross ? t.inclVat : t.exclVat}
        {!price.displayGross && price.priceList ? ` · ${t.priceList} ${price.priceList}` : ""}
      </small>
    </div>
  );
}
