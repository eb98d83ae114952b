import type { Metadata } from "next";
import { CartView } from "@/components/CartView";
import { getLocale, getTexts } from "@/lib/i18n";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTexts()).cart };
}

export default async function CartPage() {
  const [locale, t] = await Promise.all([getLocale(), getTexts()]);
  return (
    <>
      <h1>{t.cart}</h1>
      <CartView locale={locale} texts={{ cartEmpty: t.cartEmpty, quantity: t.quantity, remove: t.remove, total: t.total, checkout: t.checkout, checkoutNote: t.checkoutNote }} />
    </>
  );
}
