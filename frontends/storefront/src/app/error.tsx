"use client";

/** A page whose data could not be had: said plainly, with a way to try again (the platform's parts come back on their own). */
export default function PageError({ reset }: { error: Error; reset: () => void }) {
  const english = typeof document !== "undefined" && document.documentElement.lang === "en";
  return (
    <div role="alert" className="alert">
      <p>{english ? "Part of the shop cannot be reached right now." : "Ein Teil des Shops ist gerade nicht erreichbar."}</p>
      <button type="button" className="button" onClick={reset}>
        {english ? "Try again" : "Erneut versuchen"}
      </button>
    </div>
  );
}
