import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, test, vi } from "vitest";
import { Modal } from "./Modal";

function Dialog({ onClose }: { onClose: () => void }) {
  const [shown, setShown] = useState(true);
  return (
    <Modal labelledBy="title" onClose={onClose} testId="dialog">
      <h2 id="title">A dialog</h2>
      {shown && (
        <button
          type="button"
          onClick={() => {
            setShown(false);
          }}
        >
          Goes away
        </button>
      )}
      <button type="button">Stays</button>
    </Modal>
  );
}

describe("Modal", () => {
  test("a focused part that goes away hands focus back to the dialog, so Esc still closes it", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(<Dialog onClose={onClose} />);
    const goes = screen.getByRole("button", { name: "Goes away" });
    expect(goes).toHaveFocus();
    await user.click(goes);
    expect(screen.queryByRole("button", { name: "Goes away" })).toBeNull();
    await waitFor(() => {
      expect(screen.getByTestId("dialog")).toHaveFocus();
    });
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
