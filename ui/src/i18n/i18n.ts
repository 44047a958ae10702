import type { Lang } from "../bindings/Lang";
import { en, type MessageKey, type Messages } from "./en";
import { ptBR } from "./pt-BR";

export type { MessageKey, Messages } from "./en";

export const LANGS: readonly Lang[] = ["en", "pt-BR"];

export const dictionaries: Readonly<Record<Lang, Messages>> = { en, "pt-BR": ptBR };

export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "pt-BR";
}

/** Keys `X` for which both `X.one` and `X.other` exist. */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never;
}[MessageKey];

export type Params = Readonly<Record<string, string | number>>;

export interface I18n {
  readonly lang: Lang;
  /** The message for `key` in the active language, `{name}` placeholders filled from `params`. */
  t: (key: MessageKey, params?: Params) => string;
  /** A counted message (`base.one` / `base.other`), with `{count}` formatted for the language. */
  tn: (base: PluralBase, count: number) => string;
  formatNumber: (value: number) => string;
  /** Full date and time, for tooltips and facts. */
  formatDateTime: (iso: string) => string;
  /** "5 minutes ago" for recent instants, else a locale date. */
  formatRelative: (iso: string, now?: number) => string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function createI18n(lang: Lang): I18n {
  const dict = dictionaries[lang];
  const numbers = new Intl.NumberFormat(lang);
  const plurals = new Intl.PluralRules(lang);
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  const dateOnly = new Intl.DateTimeFormat(lang, { dateStyle: "medium" });
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto", style: "long" });

  const fill = (text: string, params?: Params): string =>
    params === undefined
      ? text
      : text.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const value = params[name];
          if (value === undefined) return whole;
          return typeof value === "number" ? numbers.format(value) : value;
        });

  const parse = (iso: string): number | null => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : ms;
  };

  return {
    lang,
    t: (key, params) => fill(dict[key], params),
    tn: (base, count) => {
      const category = plurals.select(count) === "one" ? "one" : "other";
      const key = `${base}.${category}` as MessageKey;
      return fill(dict[key], { count });
    },
    formatNumber: (value) => numbers.format(value),
    formatDateTime: (iso) => {
      const ms = parse(iso);
      return ms === null ? iso : dateTime.format(ms);
    },
    formatRelative: (iso, now = Date.now()) => {
      const ms = parse(iso);
      if (ms === null) return iso;
      const diff = ms - now;
      const abs = Math.abs(diff);
      if (abs < MINUTE) return relative.format(0, "second");
      if (abs < HOUR) return relative.format(Math.round(diff / MINUTE), "minute");
      if (abs < DAY) return relative.format(Math.round(diff / HOUR), "hour");
      if (abs < 7 * DAY) return relative.format(Math.round(diff / DAY), "day");
      return dateOnly.format(ms);
    },
  };
}
