import { createContext, useContext } from "react";
import { createI18n, type I18n } from "./i18n";

export const I18nContext = createContext<I18n>(createI18n("en"));

/** The active language's helpers: `t`, `tn`, number and date formatting. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** The active language's `t(key, params)`. */
export function useT(): I18n["t"] {
  return useContext(I18nContext).t;
}
