import type { Readiness } from "../bindings/Readiness";
import { useT } from "../i18n/context";
import { READINESS_LABEL } from "../features/devices/labels";

/** Text, icon and colour together: the status never relies on colour alone. */
const ICON: Readonly<Record<Readiness, string>> = {
  ready: "✓",
  attention: "!",
  blocked: "✕",
  unsupported: "–",
};

export function ReadinessBadge({ readiness }: { readiness: Readiness }) {
  const t = useT();
  return (
    <span className={`badge badge--${readiness}`}>
      <span className="badge__icon" aria-hidden="true">
        {ICON[readiness]}
      </span>
      {t(READINESS_LABEL[readiness])}
    </span>
  );
}
