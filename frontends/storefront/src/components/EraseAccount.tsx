"use client";

import { useState, useTransition } from "react";
import { eraseMe } from "@/lib/actions";

/** Erasure asks once more before it happens; afterwards it says what happens next. */
export function EraseAccount({ texts }: { texts: { erase: string; eraseConfirm: string; eraseConfirmButton: string } }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
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
                // Done, the action moves on to the my-data page saying so; otherwise it says what failed.
                setError((await eraseMe()).error);
              })
            }
          >
            {texts.eraseConfirmButton}
          </button>
          {error && <p role="alert">{error}</p>}
        </div>
      )}
    </section>
  );
}
