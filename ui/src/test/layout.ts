/**
 * jsdom lays nothing out, so TanStack Virtual would see a 0×0 scroll element and render no rows.
 * These stubs give the devices grid (the only scroll element that matters) a viewport, a scroll
 * height that follows its body, a settable scrollTop and `scrollTo` that fires `scroll`, as the
 * TanStack docs suggest for tests.
 */
import { HEADER_HEIGHT } from "../features/devices/DeviceTable";

export const VIEWPORT = { width: 1200, height: 640 } as const;

function isGrid(element: Element): boolean {
  return element.getAttribute("role") === "grid";
}

function gridScrollHeight(element: Element): number {
  const body = element.querySelector<HTMLElement>(".grid__body");
  return HEADER_HEIGHT + (body ? Number.parseFloat(body.style.height) || 0 : 0);
}

export function installLayoutStubs(): void {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return isGrid(this) ? VIEWPORT.height : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", {
    configurable: true,
    get(this: HTMLElement) {
      return isGrid(this) ? VIEWPORT.width : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "scrollHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return isGrid(this) ? gridScrollHeight(this) : 0;
    },
  });
  Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number, y?: number) {
    const top = typeof options === "object" ? options.top : y;
    if (top !== undefined) {
      const max = Math.max(0, this.scrollHeight - this.clientHeight);
      this.scrollTop = Math.min(Math.max(0, top), max);
    }
    this.dispatchEvent(new Event("scroll"));
  };
}

/** Scrolls the devices grid as a user would (sets scrollTop, fires `scroll`). */
export function scrollGridTo(grid: HTMLElement, top: number): void {
  grid.scrollTo({ top });
}
