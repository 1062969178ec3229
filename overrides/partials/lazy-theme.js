// Load the theme's scripts (kept inert as <script data-lazy-src>) on the reader's
// first interaction: a touch, a click, a key, the mouse moving, a scroll or focus.
// Scrolling itself stays smooth meanwhile: the compositor scrolls, not this thread.
// A link from the site search (?h=terms to highlight) loads them at once.
(() => {
  const EVENTS = ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "focusin"];
  const OPTIONS = { capture: true, passive: true };
  // The theme's keyboard shortcuts: search (f, s, /), previous (p ,) and next (n .).
  const SHORTCUTS = new Set(["f", "s", "/", "p", ",", "n", "."]);
  let started = false;
  let pendingKey = null; // a shortcut pressed before the theme could hear it

  function optionsFor(name) {
    // Only a key may be held back (so the replay below is its only effect); touch and
    // wheel listeners stay passive, or scrolling would wait for this script.
    return name === "keydown" ? { capture: true } : OPTIONS;
  }

  function ready() {
    // The theme starts on DOMContentLoaded; when that has passed, say it again.
    if (document.readyState !== "loading") {
      document.dispatchEvent(new Event("DOMContentLoaded"));
    }
    document.documentElement.dataset.theme = "ready";
    replayKey();
  }

  function isTyping(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]");
  }

  function replayKey() {
    // The key that loaded the theme (say "/" to search) would otherwise be lost:
    // pass it on now that the theme's keyboard shortcuts listen.
    if (pendingKey === null) return;
    const { key, code, shiftKey, altKey } = pendingKey;
    pendingKey = null;
    window.dispatchEvent(new KeyboardEvent("keydown", { key, code, shiftKey, altKey, bubbles: true, cancelable: true }));
  }

  function load(event) {
    if (started) return;
    started = true;
    // Shortcuts only: a key typed into a field or with Ctrl/Cmd is the browser's.
    if (
      event?.type === "keydown" &&
      SHORTCUTS.has(event.key) &&
      !event.ctrlKey &&
      !event.metaKey &&
      !isTyping(event.target)
    ) {
      event.preventDefault(); // as the theme does (Firefox would open its quick find)
      pendingKey = event;
    }
    for (const name of EVENTS) removeEventListener(name, load, optionsFor(name));
    const inert = [...document.querySelectorAll("script[data-lazy-src]")];
    inert.forEach((old, index) => {
      const script = document.createElement("script");
      script.src = old.dataset.lazySrc;
      script.async = false; // in document order, as they were written
      if (index === inert.length - 1) script.addEventListener("load", ready);
      document.body.append(script);
    });
  }

  // The theme marks its drawer and search toggles autocomplete="off" so that Firefox
  // does not bring them back checked on reload; that attribute is invalid HTML on a
  // checkbox (the hook removes it), so close them here instead, and again when a page
  // comes back from the back-forward cache.
  function closeToggles() {
    for (const id of ["__drawer", "__search"]) {
      const toggle = document.getElementById(id);
      if (toggle) toggle.checked = false;
    }
  }
  closeToggles();
  addEventListener("pageshow", (event) => event.persisted && closeToggles());

  if (new URLSearchParams(location.search).has("h")) load();
  else for (const name of EVENTS) addEventListener(name, load, optionsFor(name));
})();
