import { OfferBanner } from "@/components/OfferBanner";
import { Recommendations } from "@/components/Recommendations";
import { HomeQuery } from "@/graphql/documents";
import { getLocale, getTexts } from "@/lib/i18n";
import { runShared } from "@/lib/platform";

/** The home page: the offer the platform chose for this shopper, with its reason, and products for them (popular as fallback). */
export default async function Home({ searchParams }: { searchParams: Promise<{ signin?: string }> }) {
  const [locale, t, result, params] = await Promise.all([getLocale(), getTexts(), runShared(HomeQuery, {}), searchParams]);
  const recommendations = result.data?.recommendations;
  return (
    <>
      {params.signin === "failed" && (
        <p role="alert" className="alert">
          {t.signInFailed}
        </p>
      )}
      {result.errors.length > 0 && !result.data && (
        <p role="alert" className="alert">
          {t.unavailableService}
        </p>
      )}
      <OfferBanner decision={result.data?.offers} locale={locale} t={t} headingLevel={1} />
      <Recommendations
        list={recommendations}
        title={recommendations?.personalized ? t.forYou : t.popular}
        locale={locale}
        t={t}
        testId="recommendations"
      />
    </>
  );
}
