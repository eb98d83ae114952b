import type { Metadata } from "next";
import { cache } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Listing, listingVariables, type ListingParams } from "@/components/Listing";
import { OfferBanner } from "@/components/OfferBanner";
import { TrackOnView } from "@/components/Track";
import { CategoryQuery } from "@/graphql/documents";
import { getLocale, getTexts } from "@/lib/i18n";
import { runShared } from "@/lib/platform";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<ListingParams> };

// One request per page view: the metadata and the page share it (the same address gives the same variables).
const loadCategory = cache((slug: string, variables: string) => runShared(CategoryQuery, { slug, ...JSON.parse(variables) }));

async function load({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const { filter, sort, paging } = listingVariables(query, false);
  return { query, result: await loadCategory(slug, JSON.stringify({ filter: { ...filter, categorySlug: slug }, sort, ...paging })) };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { result } = await load(props);
  return { title: result.data?.category?.name ?? "" };
}

/** A category: its offer for this shopper, subcategories, and its products with brand and price facets, paged by cursor. */
export default async function CategoryPage(props: Props) {
  const [locale, t, { query, result }] = await Promise.all([getLocale(), getTexts(), load(props)]);
  const category = result.data?.category;
  if (!category) {
    if (result.errors.length > 0 && !result.data) throw new Error(result.errors.join("; "));
    notFound();
  }
  return (
    <>
      <TrackOnView events={[{ type: "CATEGORY_VIEWED", categoryId: category.id }]} />
      <nav aria-label="breadcrumb" className="breadcrumb">
        <Link prefetch={false} href="/">{t.home}</Link>
        {category.parent && (
          <>
            {" / "}
            <Link prefetch={false} href={`/c/${category.parent.slug}`}>{category.parent.name}</Link>
          </>
        )}
      </nav>
      <h1>{category.name}</h1>
      {category.children.length > 0 && (
        <ul className="chips" aria-label={t.categories}>
          {category.children.map((child) => (
            <li key={child.id}>
              <Link prefetch={false} href={`/c/${child.slug}`}>{child.name}</Link>
            </li>
          ))}
        </ul>
      )}
      <OfferBanner decision={category.offers} locale={locale} t={t} />
      {result.data?.search && <Listing search={result.data.search} base={`/c/${category.slug}`} params={query} locale={locale} t={t} withText={false} />}
    </>
  );
}
