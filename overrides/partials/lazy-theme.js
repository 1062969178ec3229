// Load the theme's scripts (kept inert as <script data-lazy-src>) on the reader's
// first interaction: a touch, a click, a key, the mouse moving, a scroll or focus.
// Scrolling itself stays smooth meanwhile: the compositor scrolls, not this thread.
// A link from the site search (?h=terms to highlight) loads them at once.
(() => {
  const EVENTS = ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "focusin"];
  const OPTIONS = { capture: true, passive: true };
  let started = false;

  function ready() {
    // The theme starts on DOMContentLoaded; when that has passed, say it again.
    if (document.readyState !== "loading") {
      document.dispatchEvent(new Event("DOMContentLoaded"));
    }
    document.documentElement.dataset.theme = "ready";
  }

  function load() {
    if (started) return;
    started = true;
    for (const name of EVENTS) removeEventListener(name, load, OPTIONS);
    const inert = [...document.querySelectorAll("script[data-lazy-src]")];
    inert.forEach((old, index) => {
      const script = document.createElement("script");
      script.src = old.dataset.lazySrc;
      script.async = false; // in document order, as they were written
      if (index === inert.length - 1) script.addEventListener("load", ready);
      document.body.append(script);
    });
  }

  if (new URLSearchParams(location.search).has("h")) load();
  else for (const name of EVENTS) addEventListener(name, load, OPTIONS);
})();
