import type { Locale } from "./i18n";

// Making an Intl.NumberFormat costs far more than using one (it was most of a page's rendering): one per language and currency.
const formats = new Map<string, Intl.NumberFormat>();

export function money(amount: string | number, locale: Locale, currency = "EUR"): string {
  const key = `${locale} ${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale === "de" ? "de-DE" : "en-GB", { style: "currency", currency });
    formats.set(key, format);
  }
  return format.format(Number(amount));
}

/** Only images on hosts the shop named are loaded: nothing else is fetched from outside by the shopper's browser. */
const imageHosts = (process.env.MACH_IMAGE_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);

export function allowedImage(url: string | null | undefined): string | null {
  if (!url) return null;
  if (url.startsWith("/")) return url;
  const hosts = imageHosts;
  if (hosts.length === 0) return null;
  try {
    return hosts.includes(new URL(url).host.toLowerCase()) ? url : null;
  } catch {
    return null;
  }
}
