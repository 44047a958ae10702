import type { AppKind } from "../../bindings/AppKind";
import type { Mode } from "../../bindings/Mode";
import type { Platform } from "../../bindings/Platform";
import type { Readiness } from "../../bindings/Readiness";
import type { MessageKey } from "../../i18n/i18n";

export const PLATFORM_LABEL: Readonly<Record<Platform, MessageKey>> = {
  android: "platform.android",
  ios: "platform.ios",
  windows: "platform.windows",
  macos: "platform.macos",
  other: "platform.other",
};

export const READINESS_LABEL: Readonly<Record<Readiness, MessageKey>> = {
  ready: "readiness.ready",
  attention: "readiness.attention",
  blocked: "readiness.blocked",
  unsupported: "readiness.unsupported",
};

export const APP_LABEL: Readonly<Record<AppKind, MessageKey>> = {
  quicksupport: "appKind.quicksupport",
  host: "appKind.host",
  "addon-universal": "appKind.addon-universal",
  "addon-oem": "appKind.addon-oem",
};

/** S2: the two modes, verbatim from the spec's interface words. */
export const MODE_LABEL: Readonly<Record<Mode, MessageKey>> = {
  attended: "mode.attended",
  unattended: "mode.unattended",
};

/** The platform filter offers the two supported platforms (L2) and everything else. */
export const PLATFORM_FILTERS: readonly Platform[] = ["android", "ios", "other"];
export const READINESS_FILTERS: readonly Readiness[] = ["ready", "attention", "blocked", "unsupported"];
