"use client";

import { useTransition } from "react";
import { chooseConsent } from "@/lib/actions";

/** Changing the choice later: as easy as giving it. */
export function ConsentChoice({ granted, texts }: { granted: boolean; texts: { withdraw: string; grant: string } }) {
  const [pending, start] = useTransition();
  return (
    <button type="button" className="button" disabled={pending} onClick={() => start(() => chooseConsent(!granted))}>
      {granted ? texts.withdraw : texts.grant}
    </button>
  );
}
