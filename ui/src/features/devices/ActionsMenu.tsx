import type { RemoteAction } from "../../bindings/RemoteAction";
import { MenuButton, type MenuItem } from "../../components/MenuButton";
import { useT } from "../../i18n/context";

interface Props {
  remoteAction: RemoteAction;
  onStartRemote: () => void;
  onRefresh: () => void;
}

/**
 * S1: the device's Actions menu. The remote item reads "Start TeamViewer remote control" on
 * Android (remote_control) and "Remote view" on iOS (remote_view). L2: when the back end says the
 * device cannot be supported, the item is disabled and shows the (localized) reason beside it.
 */
export function ActionsMenu({ remoteAction, onStartRemote, onRefresh }: Props) {
  const t = useT();
  const items: MenuItem[] = [
    {
      id: "remote",
      label: remoteAction.kind === "remote_control" ? t("actions.remoteControl") : t("actions.remoteView"),
      disabled: !remoteAction.enabled,
      description: remoteAction.enabled ? null : remoteAction.disabled_reason,
      onSelect: onStartRemote,
      testId: "remote-action",
    },
    { id: "refresh", label: t("actions.refresh"), onSelect: onRefresh, testId: "refresh-action" },
  ];
  return <MenuButton label={t("actions.menu")} items={items} buttonTestId="actions-button" />;
}
