import type { OfferFieldsFragment } from "@/gql/graphql";
import type { Locale, Texts } from "@/lib/i18n";
import { ProductCard, ProductGrid } from "./ProductCard";
import { TrackedLink, TrackOnView } from "./Track";

/** The offer the platform chose for this shopper in a placement, with the reason it gives, and its products. */
export function OfferBanner({ decision, locale, t, headingLevel = 2 }: { decision: OfferFieldsFragment | null | undefined; locale: Locale; t: Texts; headingLevel?: 1 | 2 }) {
  const offer = decision?.offers[0];
  if (!decision || !offer) return null;
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const common = { offerId: offer.id, decisionId: decision.decisionId, placement: decision.placement };
  const products = offer.products.flatMap((p) => (p.product ? [p.product] : []));
  return (
    <section className="offer" aria-labelledby={`offer-${offer.id}`} data-testid="offer" data-offer-id={offer.id}>
      <TrackOnView events={[{ type: "OFFER_SHOWN", ...common }]} />
      <p className="offer-kicker">{t.offer}</p>
      <Heading id={`offer-${offer.id}`}>{offer.headline ?? offer.name}</Heading>
      {offer.text && <p>{offer.text}</p>}
      {offer.incentive?.code && (
        <p className="offer-code">
          {t.code}: <strong>{offer.incentive.code}</strong>
        </p>
      )}
      <p className="reason" data-testid="offer-reason">
        <span className="reason-label">{t.why}</span> {offer.reason.text}
      </p>
      {offer.url && (
        <TrackedLink href={offer.url} className="button" event={{ type: "OFFER_CLICKED", ...common }}>
          {offer.callToAction ?? offer.name}
        </TrackedLink>
      )}
      {products.length > 0 && (
        <ProductGrid label={offer.headline ?? offer.name}>
          {products.slice(0, 4).map((product, i) => (
            <ProductCard key={product.id} product={product} locale={locale} t={t} priority={i < 2} />
          ))}
        </ProductGrid>
      )}
    </section>
  );
}
