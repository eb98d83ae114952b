import type { Metadata } from "next";
import { cache } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddToCart } from "@/components/AddToCart";
import { MemberShopLine } from "@/components/MemberShopLine";
import { OfferBanner } from "@/components/OfferBanner";
import { Price } from "@/components/Price";
import { ProductImage } from "@/components/ProductImage";
import { Recommendations } from "@/components/Recommendations";
import { TrackOnView } from "@/components/Track";
import { ProductQuery } from "@/graphql/documents";
import { money } from "@/lib/format";
import { getLocale, getTexts } from "@/lib/i18n";
import { runShared } from "@/lib/platform";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ plz?: string }> };

// One request per page view: the metadata and the page share it.
const loadProduct = cache((slug: string, postcode: string | null) => runShared(ProductQuery, { slug, postcode }));

/** The shopper's postcode from ?plz= (five digits), to order the member shops by distance. */
async function postcodeOf(props: Props): Promise<string | null> {
  const plz = (await props.searchParams)?.plz?.trim() ?? "";
  return /^[0-9]{5}$/.test(plz) ? plz : null;
}

async function load(props: Props) {
  return loadProduct((await props.params).slug, await postcodeOf(props));
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const product = (await load(props)).data?.product;
  return product ? { title: product.name, description: product.description?.slice(0, 160) } : {};
}

function optionLabel(options: unknown, sku: string): string {
  const values = options && typeof options === "object" ? Object.values(options as Record<string, unknown>).map(String) : [];
  return values.length > 0 ? values.join(" · ") : sku;
}

/** A product: localized texts, the caller's prices per variant, bought and viewed together, and the offer chosen here. */
export default async function ProductPage(props: Props) {
  const [locale, t, result] = await Promise.all([getLocale(), getTexts(), load(props)]);
  const product = result.data?.product;
  if (!product) {
    if (result.errors.length > 0 && !result.data) throw new Error(result.errors.join("; "));
    notFound();
  }
  const category = product.categories[0];
  const attributes = product.attributes && typeof product.attributes === "object" ? Object.entries(product.attributes as Record<string, unknown>) : [];
  return (
    <>
      <TrackOnView events={[{ type: "PRODUCT_VIEWED", productId: product.id, sku: product.sku, ...(category ? { categoryId: category.id } : {}) }]} />
      <nav aria-label="breadcrumb" className="breadcrumb">
        <Link prefetch={false} href="/">{t.home}</Link>
        {category && (
          <>
            {" / "}
            <Link prefetch={false} href={`/c/${category.slug}`}>{category.name}</Link>
          </>
        )}
      </nav>
      <article className="product">
        <ProductImage url={product.images[0]?.url} alt={product.images[0]?.alt} brand={product.brand} name={product.name} priority />
        <div className="product-info">
          <p className="card-brand">{product.brand}</p>
          <h1>{product.name}</h1>
          <Price price={product.price} locale={locale} t={t} large />
          {!product.price.displayGross && <p className="note" data-testid="b2b-note">{t.b2bNote}</p>}
          <p className={product.available ? "stock" : "stock out"}>{product.available ? t.available : t.unavailable}</p>
          <AddToCart
            productId={product.id}
            slug={product.slug}
            name={product.name}
            currency={product.price.currency}
            variants={product.variants.map((v) => ({
              sku: v.sku,
              label: `${optionLabel(v.options, v.sku)} – ${money(v.price.amount, locale, v.price.currency)}`,
              price: v.price.amount,
              available: v.available,
            }))}
            texts={{ addToCart: t.addToCart, added: t.added, variant: t.variant, unavailable: t.unavailable }}
          />
          {product.description && <p className="description">{product.description}</p>}
          {attributes.length > 0 && (
            <dl className="attributes">
              {attributes.map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>{Array.isArray(value) ? value.join(", ") : String(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </article>
      {product.memberShops.length > 1 && (
        <section className="member-shops" aria-labelledby="member-shops-title" data-testid="member-shops">
          <h2 id="member-shops-title">{t.memberShops}</h2>
          <form method="get" className="postcode-form">
            <label htmlFor="plz">{t.yourPostcode}</label>
            <input id="plz" name="plz" inputMode="numeric" pattern="[0-9]{5}" maxLength={5} defaultValue={(await postcodeOf(props)) ?? ""} />
            <button type="submit">{t.sortByDistance}</button>
          </form>
          <ul>
            {product.memberShops.map((shop) => (
              <li key={shop.shopId}>
                <MemberShopLine shop={shop} locale={locale} t={t} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <OfferBanner decision={product.offers} locale={locale} t={t} />
      <Recommendations list={product.boughtTogether} title={t.boughtTogether} locale={locale} t={t} testId="bought-together" />
      <Recommendations list={product.viewedTogether} title={t.viewedTogether} locale={locale} t={t} testId="viewed-together" />
    </>
  );
}
