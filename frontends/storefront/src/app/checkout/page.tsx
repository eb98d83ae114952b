import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { config } from "@/lib/config";
import { getTexts } from "@/lib/i18n";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTexts()).handoffTitle };
}

/**
 * The hand-off: checkout, payment and delivery stay in the shop's own system. With MACH_CHECKOUT_URL set the cart's
 * lines go there as item=SKU:quantity; without it this page shows exactly what would be handed over.
 */
export default async function Checkout({ searchParams }: { searchParams: Promise<{ item?: string | string[] }> }) {
  const items = ([] as string[]).concat((await searchParams).item ?? []).filter((i) => /^[^:]{1,100}:\d{1,3}$/.test(i));
  if (config.checkoutUrl && items.length > 0) {
    const target = new URL(config.checkoutUrl);
    for (const item of items) target.searchParams.append("item", item);
    redirect(target.toString());
  }
  const t = await getTexts();
  return (
    <>
      <h1>{t.handoffTitle}</h1>
      <p>{t.handoffText}</p>
      <ul data-testid="handoff">
        {items.map((item) => (
          <li key={item}>
            <code>{item}</code>
          </li>
        ))}
      </ul>
    </>
  );
}
