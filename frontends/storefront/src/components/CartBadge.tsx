"use client";

import Link from "next/link";
import { useCart } from "./cart";

export function CartBadge({ label }: { label: string }) {
  const count = useCart().reduce((sum, line) => sum + line.quantity, 0);
  return (
    <Link prefetch={false} href="/cart" className="cart-badge" data-testid="cart-badge">
      {label} <span className="badge" aria-label={`${count}`}>{count}</span>
    </Link>
  );
}
