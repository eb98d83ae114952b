"use client";

import { useSyncExternalStore } from "react";

/** A cart line as the browser keeps it (the shop's checkout prices it again; this is what the shopper chose). */
export type CartLine = { productId: string; sku: string; slug: string; name: string; price: string; currency: string; quantity: number };

const storageKey = "mc_cart";
const listeners = new Set<() => void>();
let cached: CartLine[] | null = null;
const empty: CartLine[] = [];

function read(): CartLine[] {
  if (cached) return cached;
  try {
    cached = JSON.parse(localStorage.getItem(storageKey) ?? "[]") as CartLine[];
  } catch {
    cached = [];
  }
  return cached;
}

function write(lines: CartLine[]) {
  cached = lines;
  localStorage.setItem(storageKey, JSON.stringify(lines));
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === storageKey) {
      cached = null;
      listener();
    }
  };
  window.addEventListener("storage", onStorage); // another tab changed the cart
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useCart(): CartLine[] {
  return useSyncExternalStore(subscribe, read, () => empty);
}

export function addToCart(line: Omit<CartLine, "quantity">, quantity = 1) {
  const lines = read();
  const existing = lines.find((l) => l.sku === line.sku);
  write(existing ? lines.map((l) => (l === existing ? { ...l, quantity: Math.min(l.quantity + quantity, 999) } : l)) : [...lines, { ...line, quantity }]);
}

export function setQuantity(sku: string, quantity: number) {
  write(quantity <= 0 ? read().filter((l) => l.sku !== sku) : read().map((l) => (l.sku === sku ? { ...l, quantity: Math.min(quantity, 999) } : l)));
}
