// The empty window's first paint, reported as the app reports its first device rows: after the
// frame that paints the page (bench/src/window_start.rs).
requestAnimationFrame(() => {
  requestAnimationFrame(() => {
    void window.__TAURI_INTERNALS__.invoke("report_first_paint");
  });
});
