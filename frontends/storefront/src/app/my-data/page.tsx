import type { Metadata } from "next";
import { ConsentChoice } from "@/components/ConsentChoice";
import { CooperativeConsentChoice } from "@/components/CooperativeConsentChoice";
import { EraseAccount } from "@/components/EraseAccount";
import { MyDataQuery } from "@/graphql/documents";
import { getTexts } from "@/lib/i18n";
import { run } from "@/lib/platform";
import { getShopper } from "@/lib/shopper";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTexts()).myDataTitle };
}

/**
 * What the shop knows and what the shopper decides: the personalization choice (changeable at any time), for a
 * signed-in customer the profile and consents, the full export as a download, and erasure.
 */
export default async function MyData({ searchParams }: { searchParams: Promise<{ erased?: string }> }) {
  const [t, shopper, { erased }] = await Promise.all([getTexts(), getShopper(), searchParams]);
  const me = shopper.customerToken ? (await run(MyDataQuery, {})).data?.me : null;
  const state = shopper.consent === "granted" ? t.consentGranted : shopper.consent === "denied" ? t.consentDenied : t.consentUnset;
  // Asked only by a member shop of a cooperative: the platform lists the purpose for those alone.
  const cooperative = me?.consents.find((consent) => consent.purpose === "cooperative");
  return (
    <>
      <h1>{t.myDataTitle}</h1>
      {erased && (
        <p role="status" className="note" data-testid="erased">
          {t.erased}
        </p>
      )}
      <section aria-labelledby="consent-heading">
        <h2 id="consent-heading">{t.consentState}</h2>
        <p data-testid="consent-state">{state}</p>
        <ConsentChoice granted={shopper.consent === "granted"} texts={{ withdraw: t.withdraw, grant: t.grant }} />
        {!me && (
          <>
            <p>{t.anonymousData}</p>
            {shopper.visitorId && (
              <p>
                {t.deviceId}: <code data-testid="visitor-id">{shopper.visitorId}</code>
              </p>
            )}
            <p>
              <a href="/auth/login?returnTo=%2Fmy-data">{t.signInForData}</a>
            </p>
          </>
        )}
      </section>
      {me && (
        <>
          <section aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t.profile}</h2>
            <dl className="attributes">
              <div>
                <dt>{t.email}</dt>
                <dd data-testid="profile-email">{me.profile.email ?? "–"}</dd>
              </div>
              <div>
                <dt>{t.name}</dt>
                <dd>{[me.profile.firstName, me.profile.lastName].filter(Boolean).join(" ") || "–"}</dd>
              </div>
              {me.profile.companyName && (
                <div>
                  <dt>{t.company}</dt>
                  <dd>{me.profile.companyName}</dd>
                </div>
              )}
              {me.profile.customerGroup && (
                <div>
                  <dt>{t.customerGroup}</dt>
                  <dd>{me.profile.customerGroup}</dd>
                </div>
              )}
            </dl>
            <h3>{t.consents}</h3>
            <ul>
              {me.consents.map((consent) => (
                <li key={consent.purpose}>
                  {t.purposes[consent.purpose] ?? consent.purpose}: {consent.granted ? t.yes : t.no}
                </li>
              ))}
            </ul>
            {cooperative && (
              <div data-testid="cooperative">
                <p>{t.cooperativeExplained}</p>
                <CooperativeConsentChoice
                  granted={cooperative.granted}
                  texts={{ share: t.shareWithCooperative, stop: t.stopSharingWithCooperative }}
                />
              </div>
            )}
            <p>
              <a className="button" href="/my-data/export" download data-testid="export">
                {t.download}
              </a>
            </p>
          </section>
          <EraseAccount texts={{ erase: t.erase, eraseConfirm: t.eraseConfirm, eraseConfirmButton: t.eraseConfirmButton }} />
        </>
      )}
    </>
  );
}
