"use client";

import { useState, useTransition } from "react";
import { chooseCooperativeConsent } from "@/lib/actions";

/** Sharing the contact with the shop's cooperative: given and withdrawn with the same one button; a refusal is said. */
export function CooperativeConsentChoice({ granted, texts }: { granted: boolean; texts: { share: string; stop: string } }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const choose = () =>
    start(async () => {
      const failed = await chooseCooperativeConsent(!granted);
      setError(failed?.error ?? null);
    });
  return (
    <>
      <button type="button" className="button" disabled={pending} onClick={choose} data-testid="cooperative-consent">
        {granted ? texts.stop : texts.share}
      </button>
      {error && <p role="alert">{error}</p>}
    </>
  );
}
