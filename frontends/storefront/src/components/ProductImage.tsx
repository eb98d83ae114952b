import { allowedImage } from "@/lib/format";

/**
 * The product's image from an allowed host, else a drawn tile with the brand's initials: same size either way, so
 * nothing shifts when it loads (a fixed aspect ratio), and nothing is fetched from an unknown host.
 */
export function ProductImage({ url, alt, brand, name, priority }: { url?: string | null; alt?: string | null; brand?: string | null; name: string; priority?: boolean }) {
  const src = allowedImage(url);
  if (src) {
    // eslint-disable-next-line @next/next/no-img-element -- plain <img>: next/image would need an image optimizer per host
    return <img className="product-image" src={src} alt={alt ?? name} width={400} height={300} loading={priority ? "eager" : "lazy"} fetchPriority={priority ? "high" : "auto"} />;
  }
  const initials = (brand ?? name).split(/\s+/).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? "").join("");
  let hue = 0;
  for (const c of name) hue = (hue * 31 + c.charCodeAt(0)) % 360;
  return (
    <div className="product-image product-tile" style={{ background: `hsl(${hue} 35% 90%)` }} role="img" aria-label={alt ?? name}>
      <span aria-hidden="true">{initials}</span>
    </div>
  );
}
