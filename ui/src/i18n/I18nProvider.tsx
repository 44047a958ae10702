import { useEffect, useMemo, type ReactNode } from "react";
import type { Lang } from "../bindings/Lang";
import { createI18n } from "./i18n";
import { I18nContext } from "./context";

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <I18nContext value={value}>{children}</I18nContext>;
}
