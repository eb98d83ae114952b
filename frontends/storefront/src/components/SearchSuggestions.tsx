"use client";

import { useEffect, useId, useState } from "react";

/** The search field with suggestions while typing (product names, typo-tolerant, from the platform's search). */
export function SearchSuggestions({ label, placeholder, suggestionsLabel, button, initial }: { label: string; placeholder: string; suggestionsLabel: string; button: string; initial?: string }) {
  const id = useId();
  const [text, setText] = useState(initial ?? "");
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    const query = text.trim();
    if (query.length < 3) {
      setNames([]);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/suggest?q=${encodeURIComponent(query)}`, { signal: abort.signal })
        .then((r) => (r.ok ? r.json() : []))
        .then((found: string[]) => setNames(found))
        .catch(() => undefined);
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text]);
  return (
    <form action="/search" role="search" className="search">
      <label htmlFor={`${id}-q`} className="visually-hidden">
        {label}
      </label>
      <input id={`${id}-q`} name="q" type="search" placeholder={placeholder} autoComplete="off" maxLength={200} list={`${id}-list`} value={text} onChange={(e) => setText(e.target.value)} />
      <datalist id={`${id}-list`} aria-label={suggestionsLabel}>
        {names.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <button type="submit" className="button">
        {button}
      </button>
    </form>
  );
}
