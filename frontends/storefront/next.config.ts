import path from "node:path";
import type { NextConfig } from "next";

// Everything this storefront shows comes from the platform's GraphQL API at run time; nothing is fetched from
// elsewhere (no web fonts, no image CDN: product images are plain <img> from the shop's own addresses).
const config: NextConfig = {
  output: "standalone",
  // This folder is the app's root (npm runs the build here), whatever lockfiles the repository has above it.
  outputFileTracingRoot: path.resolve("."),
  turbopack: { root: path.resolve(".") },
  poweredByHeader: false,
  reactStrictMode: true,
  // The platform is another origin; the browser never calls it directly (server actions do), so no CORS is needed.
  experimental: { serverActions: { bodySizeLimit: "256kb" } },
};

export default config;
