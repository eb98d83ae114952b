import type { Metadata } from "next";
import Link from "next/link";
import { CartBadge } from "@/components/CartBadge";
import { ConsentBanner } from "@/components/ConsentBanner";
import { SearchSuggestions } from "@/components/SearchSuggestions";
import { TrackingConsent } from "@/components/Track";
import { config } from "@/lib/config";
import { getLocale, getTexts } from "@/lib/i18n";
import { getNavigation } from "@/lib/navigation";
import { getShopper } from "@/lib/shopper";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  return { title: { default: config.shopName, template: `%s · ${config.shopName}` } };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const [locale, t, shopper, navigation] = await Promise.all([getLocale(), getTexts(), getShopper(), getNavigation()]);
  const me = navigation.data?.me?.profile;
  const name = me?.companyName ?? me?.firstName ?? me?.email ?? "";
  return (
    <html lang={locale}>
      <body>
        <TrackingConsent granted={shopper.consent === "granted"} />
        <a className="skip" href="#main">
          {t.skip}
        </a>
        <header className="header">
          <div className="header-row">
            <Link prefetch={false} href="/" className="logo">
              {config.shopName}
            </Link>
            <SearchSuggestions label={t.searchLabel} placeholder={t.searchPlaceholder} suggestionsLabel={t.didYouMean} button={t.search} />
            <nav aria-label={t.account} className="account">
              {me ? (
                <>
                  <span data-testid="signed-in">{t.hello(name)}</span>
                  <Link prefetch={false} href="/my-data">{t.myData}</Link>
                  <form action="/auth/logout" method="post">
                    <button type="submit" className="link-button">
                      {t.signOut}
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <a href="/auth/login">{t.account}</a>
                  <Link prefetch={false} href="/my-data">{t.myData}</Link>
                </>
              )}
              <CartBadge label={t.cart} />
              <span className="lang">
                <a href="/lang?to=de" lang="de" aria-current={locale === "de" ? "true" : undefined}>
                  DE
                </a>
                {" | "}
                <a href="/lang?to=en" lang="en" aria-current={locale === "en" ? "true" : undefined}>
                  EN
                </a>
              </span>
            </nav>
          </div>
          <nav aria-label={t.categories} className="categories">
            <ul>
              {(navigation.data?.categories ?? []).map((category) => (
                <li key={category.id}>
                  <Link prefetch={false} href={`/c/${category.slug}`}>{category.name}</Link>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        {shopper.consent === null && <ConsentBanner
            texts={{ consentTitle: t.consentTitle, consentText: t.consentText, consentAccept: t.consentAccept, consentDecline: t.consentDecline, consentPolicy: t.consentPolicy }}
          />}
        <main id="main">{children}</main>
        <footer className="footer">
          <p>
            {config.shopName} · <Link prefetch={false} href="/my-data">{t.myData}</Link>
          </p>
        </footer>
      </body>
    </html>
  );
}
