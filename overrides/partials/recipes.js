// The "whole script" block must copy the file exactly. The theme's copy button trims
// the final newline, unless the button carries data-clipboard-text: set it from the
// code's full text just before the theme's click handler reads it.
document.addEventListener(
  "click",
  (event) => {
    const button = event.target.closest?.('.whole-script button[data-md-type="copy"]');
    const code = button?.closest("pre")?.querySelector("code");
    if (code) button.setAttribute("data-clipboard-text", code.textContent);
  },
  true,
);

// A code block that scrolls sideways must be reachable by keyboard
// (axe scrollable-region-focusable); the theme does this only for blocks it has
// already shown, so do it for all of them once the page is laid out, and on resize.
function focusableScrollingCode() {
  for (const code of document.querySelectorAll("pre > code")) {
    if (code.scrollWidth > code.clientWidth) code.setAttribute("tabindex", "0");
  }
}
// Measured when the browser is idle: on load, layout is still dirty and reading
// scrollWidth would force a full layout inside the load task.
window.addEventListener("load", () => requestIdleCallback(focusableScrollingCode));
window.addEventListener("resize", focusableScrollingCode);

// The theme gives every code block an unnamed <nav> for its copy button; several
// unnamed navs on one page are indistinguishable landmarks (axe landmark-unique).
// Name each after its block as the theme adds them.
let codeTools = 0;
new MutationObserver(() => {
  for (const nav of document.querySelectorAll(".md-code__nav:not([aria-label])")) {
    nav.setAttribute("aria-label", `Code block ${++codeTools} tools`);
  }
}).observe(document.body, { childList: true, subtree: true });
