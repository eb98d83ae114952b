import type { CodegenConfig } from "@graphql-codegen/cli";

// Types come from the live schema's standard introspection: run the platform (dotnet run --project mach-commerce),
// then MACH_STOREFRONT_KEY=<the printed storefront key> npm run codegen. The generated folder is committed, so a
// build needs no running platform; the tests regenerate it against the real gateway and compare.
const endpoint = (process.env.MACH_PLATFORM_URL ?? "http://127.0.0.1:5100/").replace(/\/?$/, "/") + "graphql";
const key = process.env.MACH_STOREFRONT_KEY;
if (!key) {
  throw new Error("Set MACH_STOREFRONT_KEY to a storefront key of your shop (the launcher prints one).");
}

const config: CodegenConfig = {
  schema: [{ [endpoint]: { headers: { Authorization: `Bearer ${key}` } } }],
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    [process.env.MACH_CODEGEN_OUT ?? "src/gql/"]: {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: "string", Decimal: "string", URL: "string", JSON: "unknown" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
