import type { Metadata } from "next";
import { Listing, listingVariables, type ListingParams } from "@/components/Listing";
import { OfferBanner } from "@/components/OfferBanner";
import { SearchSuggestions } from "@/components/SearchSuggestions";
import { TrackOnView } from "@/components/Track";
import { JointSearchQuery, SearchQuery } from "@/graphql/documents";
import { getLocale, getTexts } from "@/lib/i18n";
import { runShared } from "@/lib/platform";

type Props = { searchParams: Promise<ListingParams> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = await searchParams;
  return { title: q ? (await getTexts()).resultsFor(q.slice(0, 60)) : (await getTexts()).search };
}

/** Full-text search with typo tolerance: says when it searched similar spellings or fewer words; facets and paging as in a category. */
export default async function SearchPage({ searchParams }: Props) {
  const [locale, t, params] = await Promise.all([getLocale(), getTexts(), searchParams]);
  const text = (params.q ?? "").trim().slice(0, 200);
  if (!/[\p{L}\p{N}]/u.test(text)) {
    return (
      <>
        <h1>{t.search}</h1>
        <SearchSuggestions label={t.searchLabel} placeholder={t.searchPlaceholder} suggestionsLabel={t.didYouMean} button={t.search} />
      </>
    );
  }
  const { filter, sort, paging } = listingVariables(params, true);
  // Beside the shop's own search, whether the shop is in a cooperative whose other shops carry the words too.
  const [result, joint] = await Promise.all([
    runShared(SearchQuery, { query: text, filter, sort, ...paging }),
    runShared(JointSearchQuery, { query: text, postcode: null, brand: null, first: 1 }),
  ]);
  const elsewhere = joint.data?.jointSearch;
  const search = result.data?.search;
  if (!search && result.errors.length > 0) throw new Error(result.errors.join("; "));
  return (
    <>
      <TrackOnView events={[{ type: "SEARCHED", query: text }]} />
      <h1>{t.resultsFor(text)}</h1>
      {search?.fuzzy && (
        <p className="note" data-testid="fuzzy">
          {t.fuzzy}
        </p>
      )}
      {search?.relaxed && !search.fuzzy && <p className="note">{t.relaxed}</p>}
      {elsewhere && elsewhere.totalCount > 0 && (
        <p data-testid="joint-link">
          <a href={`/joint?${new URLSearchParams({ q: text })}`}>
            {t.jointSearch} ({t.jointTotal(elsewhere.totalCount)})
          </a>
        </p>
      )}
      <OfferBanner decision={result.data?.offers} locale={locale} t={t} />
      {search && <Listing search={search} base="/search" params={{ ...params, q: text }} locale={locale} t={t} withText />}
    </>
  );
}
