import type { RecommendationFieldsFragment } from "@/gql/graphql";
import type { Locale, Texts } from "@/lib/i18n";
import { ProductCard, ProductGrid } from "./ProductCard";

/** A recommendation list with each product's reason; nothing when the platform had nothing to say. */
export function Recommendations({ list, title, locale, t, testId }: { list: RecommendationFieldsFragment | null | undefined; title: string; locale: Locale; t: Texts; testId: string }) {
  const items = list?.items.flatMap((item) => (item.product ? [{ product: item.product, reason: item.reason.text }] : [])) ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-label={title} data-testid={testId} data-strategy={list?.strategy}>
      <h2>{title}</h2>
      <ProductGrid>
        {items.map(({ product, reason }) => (
          <ProductCard key={product.id} product={product} locale={locale} t={t} reason={reason} />
        ))}
      </ProductGrid>
    </section>
  );
}
