import Link from "next/link";
import { getTexts } from "@/lib/i18n";

export default async function NotFound() {
  const t = await getTexts();
  return (
    <>
      <h1>{t.notFound}</h1>
      <p>
        <Link prefetch={false} href="/">{t.home}</Link>
      </p>
    </>
  );
}
