"use client";

import { useState, useTransition } from "react";
import { eraseMe } from "@/lib/actions";

/** Erasure asks once more before it happens; afterwards it says what happens next. */
export function EraseAccount({ texts }: { texts: { erase: string; eraseConfirm: string; eraseConfirmButton: string; erased: string } }) {
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (message) return <p role="status" data-testid="erased">{message}</p>;
  return (
    <section aria-label={texts.erase}>
      {!confirming ? (
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          {texts.erase}
        </button>
      ) : (
        <div role="alertdialog" aria-labelledby="erase-confirm">
          <p id="erase-confirm">{texts.eraseConfirm}</p>
          <button
            type="button"
            className="button danger"
            disabled={pending}
            onClick={() =>
              start(async () => {
                const answer = await eraseMe();
                setMessage("error" in answer ? answer.error : texts.erased);
              })
            }
          >
            {texts.eraseConfirmButton}
          </button>
        </div>
      )}
    </section>
  );
}
