import "server-only";

/** The storefront's settings, from the environment of the server that runs it (never sent to the browser). */
export const config = {
  /** The platform's gateway as this server reaches it. */
  platformUrl: withSlash(process.env.MACH_PLATFORM_URL ?? "http://127.0.0.1:5100/"),
  /** The gateway as the shopper's browser reaches it (sign-in pages); the same unless a proxy is in between. */
  publicPlatformUrl: withSlash(process.env.MACH_PUBLIC_PLATFORM_URL ?? process.env.MACH_PLATFORM_URL ?? "http://127.0.0.1:5100/"),
  /** The shop's storefront key: public by design (it reads the catalog and decides offers), kept server-side anyway. */
  storefrontKey: process.env.MACH_STOREFRONT_KEY ?? "",
  /** This storefront's own public address: the sign-in callback is registered for it at the identity service. */
  storefrontUrl: withSlash(process.env.MACH_STOREFRONT_URL ?? "http://localhost:3000/"),
  /** The OAuth client of this shop's customer accounts (storefront-{shop} in the demo). */
  customerClientId: process.env.MACH_CUSTOMER_CLIENT_ID ?? "",
  /** The shop's tenant id (for the customer account pages' addresses). */
  shop: process.env.MACH_SHOP ?? "",
  shopName: process.env.MACH_SHOP_NAME ?? "MACH Commerce Shop",
  /** Where the cart is handed over to the shop's own checkout; unset: the hand-off page shows what would be sent. */
  checkoutUrl: process.env.MACH_CHECKOUT_URL ?? "",
  /** The version of the privacy policy the consent banner refers to (recorded with each consent). */
  policyVersion: process.env.MACH_POLICY_VERSION ?? "2026-11",
};

export function requireKey(): string {
  if (!config.storefrontKey) {
    throw new Error("MACH_STOREFRONT_KEY is not set: give this storefront the shop's storefront key (the launcher prints one).");
  }
  return config.storefrontKey;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : url + "/";
}
