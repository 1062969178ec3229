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
// already shown, so do it for all of them, now and when the window is resized.
function focusableScrollingCode() {
  for (const code of document.querySelectorAll("pre > code")) {
    if (code.scrollWidth > code.clientWidth) code.setAttribute("tabindex", "0");
  }
}
focusableScrollingCode();
window.addEventListener("resize", focusableScrollingCode);
