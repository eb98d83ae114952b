"use client";

import Link from "next/link";
import { money } from "@/lib/format";
import { setQuantity, useCart } from "./cart";

/** The browser's cart with quantities; the hand-off to the shop's checkout carries the lines as SKU and quantity. */
export function CartView({ locale, texts }: { locale: string; texts: { cartEmpty: string; quantity: string; remove: string; total: string; checkout: string; checkoutNote: string } }) {
  const lines = useCart();
  if (lines.length === 0) return <p>{texts.cartEmpty}</p>;
  const currency = lines[0].currency;
  const total = lines.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0);
  return (
    <form action="/checkout" method="get" className="cart">
      <table>
        <tbody>
          {lines.map((line) => (
            <tr key={line.sku}>
              <td>
                <Link prefetch={false} href={`/p/${line.slug}`}>{line.name}</Link>
                <input type="hidden" name="item" value={`${line.sku}:${line.quantity}`} />
              </td>
              <td>
                <label>
                  <span className="visually-hidden">
                    {texts.quantity} {line.name}
                  </span>
                  <input type="number" min={0} max={999} value={line.quantity} onChange={(e) => setQuantity(line.sku, Number(e.target.value))} />
                </label>
              </td>
              <td>{money(Number(line.price) * line.quantity, locale === "en" ? "en" : "de", line.currency)}</td>
              <td>
                <button type="button" className="link-button" onClick={() => setQuantity(line.sku, 0)}>
                  {texts.remove}
                  <span className="visually-hidden"> {line.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{texts.total}</th>
            <td />
            <td data-testid="cart-total">{money(total, locale === "en" ? "en" : "de", currency)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
      <p className="small">{texts.checkoutNote}</p>
      <button type="submit" className="button">
        {texts.checkout}
      </button>
    </form>
  );
}
