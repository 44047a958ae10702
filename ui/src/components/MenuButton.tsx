import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

export interface MenuItem {
  id: string;
  label: string;
  /** Shown under the label and read as the item's description (e.g. why it is disabled). */
  description?: string | null;
  disabled?: boolean;
  onSelect: () => void;
  testId?: string;
}

interface Props {
  label: string;
  items: readonly MenuItem[];
  buttonTestId?: string;
}

/**
 * WAI-ARIA menu button: Enter, Space or ArrowDown opens on the first item, ArrowUp on the last;
 * arrows, Home and End move; Enter or Space chooses; Esc (or Tab, or a click outside) closes and
 * returns focus to the button. Disabled items stay focusable (aria-disabled) so their reason is
 * read out, but cannot be chosen.
 */
export function MenuButton({ label, items, buttonTestId }: Props) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const baseId = useId();
  const menuId = `${baseId}-menu`;
  const buttonId = `${baseId}-button`;
  const ownButton = useRef<HTMLButtonElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLDivElement | null)[]>([]);

  useEffect(() => {
    if (open) itemRefs.current[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: MouseEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onPointerDown);
    return () => {
      document.removeEventListener("mousedown", onPointerDown);
    };
  }, [open]);

  const openAt = (index: number) => {
    setFocusIndex(Math.max(0, Math.min(index, items.length - 1)));
    setOpen(true);
  };

  const close = () => {
    setOpen(false);
    ownButton.current?.focus();
  };

  const choose = (item: MenuItem) => {
    if (item.disabled === true) return;
    close();
    item.onSelect();
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    switch (event.key) {
      case "ArrowDown":
      case "Enter":
      case " ":
        event.preventDefault();
        openAt(0);
        break;
      case "ArrowUp":
        event.preventDefault();
        openAt(items.length - 1);
        break;
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = items.length - 1;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        setFocusIndex((i) => (i >= last ? 0 : i + 1));
        break;
      case "ArrowUp":
        event.preventDefault();
        setFocusIndex((i) => (i <= 0 ? last : i - 1));
        break;
      case "Home":
        event.preventDefault();
        setFocusIndex(0);
        break;
      case "End":
        event.preventDefault();
        setFocusIndex(last);
        break;
      case "Escape":
        event.preventDefault();
        event.stopPropagation();
        close();
        break;
      case "Tab":
        setOpen(false);
        ownButton.current?.focus();
        break;
    }
  };

  const onItemKeyDown = (event: KeyboardEvent<HTMLDivElement>, item: MenuItem) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    choose(item);
  };

  return (
    <div className="menu" ref={wrapper}>
      <button
        ref={ownButton}
        id={buttonId}
        type="button"
        className="button menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid={buttonTestId}
        onClick={() => {
          if (open) setOpen(false);
          else openAt(0);
        }}
        onKeyDown={onButtonKeyDown}
      >
        {label}
        <span className="menu__caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div
          id={menuId}
          role="menu"
          tabIndex={-1}
          aria-labelledby={buttonId}
          className="menu__list"
          onKeyDown={onMenuKeyDown}
        >
          {items.map((item, index) => {
            const labelId = `${baseId}-${item.id}-label`;
            const descId = `${baseId}-${item.id}-desc`;
            const hasDescription = item.description !== undefined && item.description !== null && item.description !== "";
            return (
              <div
                key={item.id}
                ref={(node) => {
                  itemRefs.current[index] = node;
                }}
                role="menuitem"
                tabIndex={index === focusIndex ? 0 : -1}
                aria-disabled={item.disabled === true ? true : undefined}
                aria-labelledby={labelId}
                aria-describedby={hasDescription ? descId : undefined}
                className={`menu__item${item.disabled === true ? " menu__item--disabled" : ""}`}
                data-testid={item.testId}
                onClick={() => {
                  choose(item);
                }}
                onKeyDown={(event) => {
                  onItemKeyDown(event, item);
                }}
                onMouseEnter={() => {
                  setFocusIndex(index);
                }}
              >
                <span id={labelId} className="menu__label">
                  {item.label}
                </span>
                {hasDescription && (
                  <span id={descId} className="menu__description">
                    {item.description}
                  </span>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
