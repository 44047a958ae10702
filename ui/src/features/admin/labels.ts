import type { Mode } from "../../bindings/Mode";
import type { Tier } from "../../bindings/Tier";
import type { MessageKey } from "../../i18n/i18n";

/** Every licence tier, lowest first: generated from the Rust `Tier`. */
export { TIERS } from "../../bindings/constants";

export const TIER_LABEL: Readonly<Record<Tier, MessageKey>> = {
  silver: "tier.silver",
  gold: "tier.gold",
  platinum: "tier.platinum",
};

/** A1: the two options of Activate TeamViewer, verbatim from the spec's interface words. */
export const ACTIVATION_LABEL: Readonly<Record<Mode, MessageKey>> = {
  attended: "activation.attended",
  unattended: "activation.unattended",
};

export const ACTIVATION_HINT: Readonly<Record<Mode, MessageKey>> = {
  attended: "activation.attendedHint",
  unattended: "activation.unattendedHint",
};
