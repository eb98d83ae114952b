"use client";

import { useState } from "react";
import { addToCart } from "./cart";
import { track } from "./tracking";

type Variant = { sku: string; label: string; price: string; available: boolean };

/** Variant choice and the button: the line goes into the browser's cart and, with consent, an ADDED_TO_CART event. */
export function AddToCart(props: { productId: string; slug: string; name: string; currency: string; variants: Variant[]; texts: { addToCart: string; added: string; variant: string; unavailable: string } }) {
  const { variants, texts } = props;
  const [sku, setSku] = useState(variants.find((v) => v.available)?.sku ?? variants[0]?.sku ?? "");
  const [added, setAdded] = useState(false);
  const variant = variants.find((v) => v.sku === sku);
  return (
    <form
      className="add-to-cart"
      onSubmit={(e) => {
        e.preventDefault();
        if (!variant) return;
        addToCart({ productId: props.productId, sku: variant.sku, slug: props.slug, name: props.name, price: variant.price, currency: props.currency });
        track({ type: "ADDED_TO_CART", productId: props.productId, sku: variant.sku, quantity: 1, price: variant.price });
        setAdded(true);
      }}
    >
      {variants.length > 1 && (
        <label>
          {texts.variant}{" "}
          <select value={sku} onChange={(e) => { setSku(e.target.value); setAdded(false); }}>
            {variants.map((v) => (
              <option key={v.sku} value={v.sku} disabled={!v.available}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="button" disabled={!variant?.available}>
        {variant?.available ? texts.addToCart : texts.unavailable}
      </button>
      <span role="status" className="added">{added ? texts.added : ""}</span>
    </form>
  );
}
