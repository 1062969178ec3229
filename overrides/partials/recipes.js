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

// The theme gives every code block an unnamed <nav> for its copy button; several
// unnamed navs on one page are indistinguishable landmarks (axe landmark-unique).
// Name each after its block as the theme adds them.
let codeTools = 0;
new MutationObserver(() => {
  for (const nav of document.querySelectorAll(".md-code__nav:not([aria-label])")) {
    nav.setAttribute("aria-label", `Code block ${++codeTools} tools`);
  }
}).observe(document.body, { childList: true, subtree: true });

// Every code block is focusable from the HTML on (overrides/hooks/recipes.py), since
// a block that scrolls sideways must be reachable by keyboard and which ones scroll
// depends on the screen. The theme's script removes the attribute from blocks it
// finds not scrolling, and from all of them on screens without hover (keyboards come
// with touch screens too): put it back.
new MutationObserver((records) => {
  for (const { target } of records) {
    if (target.matches("pre > code") && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "0");
    }
  }
}).observe(document.body, { attributes: true, attributeFilter: ["tabindex"], subtree: true });
