"use client";

import { useTransition } from "react";
import { chooseConsent } from "@/lib/actions";

/** Asked first, before anything personal happens; both answers are equally easy to give. */
export function ConsentBanner({ texts }: { texts: { consentTitle: string; consentText: string; consentAccept: string; consentDecline: string; consentPolicy: string } }) {
  const [pending, start] = useTransition();
  return (
    <section className="consent" role="dialog" aria-modal="false" aria-labelledby="consent-title" data-testid="consent-banner">
      <h2 id="consent-title">{texts.consentTitle}</h2>
      <p>{texts.consentText}</p>
      <p className="small">{texts.consentPolicy}</p>
      <div className="consent-buttons">
        <button type="button" className="button" disabled={pending} onClick={() => start(() => chooseConsent(true))}>
          {texts.consentAccept}
        </button>
        <button type="button" className="button" disabled={pending} onClick={() => start(() => chooseConsent(false))}>
          {texts.consentDecline}
        </button>
      </div>
    </section>
  );
}
