import Link from "next/link";
import type { ProductCardFragment } from "@/gql/graphql";
import type { Locale, Texts } from "@/lib/i18n";
import { Price } from "./Price";
import { ProductImage } from "./ProductImage";

export function ProductCard({ product, locale, t, reason, priority }: { product: ProductCardFragment; locale: Locale; t: Texts; reason?: string | null; priority?: boolean }) {
  return (
    <li className="card" data-testid="product-card">
      <Link prefetch={false} href={`/p/${product.slug}`} className="card-link">
        <ProductImage url={product.images[0]?.url} alt={product.images[0]?.alt} brand={product.brand} name={product.name} priority={priority} />
        <span className="card-brand">{product.brand}</span>
        <span className="card-name">{product.name}</span>
      </Link>
      <Price price={product.price} locale={locale} t={t} />
      {reason && (
        <p className="reason">
          <span className="reason-label">{t.why}</span> {reason}
        </p>
      )}
    </li>
  );
}

export function ProductGrid({ children, label }: { children: React.ReactNode; label?: string }) {
  return (
    <ul className="grid" aria-label={label}>
      {children}
    </ul>
  );
}
