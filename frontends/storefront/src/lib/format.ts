import type { Locale } from "./i18n";

export function money(amount: string | number, locale: Locale, currency = "EUR"): string {
  return new Intl.NumberFormat(locale === "de" ? "de-DE" : "en-GB", { style: "currency", currency }).format(Number(amount));
}

/** Only images on hosts the shop named are loaded: nothing else is fetched from outside by the shopper's browser. */
export function allowedImage(url: string | null | undefined): string | null {
  if (!url) return null;
  if (url.startsWith("/")) return url;
  const hosts = (process.env.MACH_IMAGE_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  try {
    return hosts.includes(new URL(url).host.toLowerCase()) ? url : null;
  } catch {
    return null;
  }
}
