// Browser audit of the built site, served like a static host.
//
//   node audit.mjs BASE_URL OUT_DIR
//
// Drives Debian's chromium (CHROME_PATH, default /usr/bin/chromium; nothing is
// downloaded) and writes OUT_DIR/audit.json with, for every page in sitemap.xml plus
// the 404 page: axe-core violations (light and dark scheme), every request outside the
// site's origin, bytes transferred, the JSON-LD seen in the rendered DOM, horizontal
// scrolling at a 375 px viewport (with screenshots); plus the site search results for
// a few queries, whether the "/" shortcut opens search on a fresh page, the text the
// copy button puts on the clipboard, and Lighthouse (mobile and desktop) on four page
// types. tests/test_audit.py asserts on the JSON;
// OUT_DIR/audit.md is the short table for humans.

import fs from "node:fs/promises";
import path from "node:path";
import { launch } from "chrome-launcher";
import puppeteer from "puppeteer-core";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import axe from "axe-core";

const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
// Lighthouse runs a page once; a page scoring under 100 anywhere gets runs up to RUNS
// in all, and the median counts (a shared 2-core VM makes single timings noisy).
const RUNS = Number(process.env.AUDIT_RUNS || 5);
// For debugging the script: AUDIT_SKIP=pages,lighthouse,searches leaves those phases out.
const SKIP = new Set((process.env.AUDIT_SKIP || "").split(","));
// Queries typed into the site search: a JSON list in AUDIT_QUERIES (the tests write
// the error messages of the home page's Troubleshooting list there), else these two.
const SEARCHES = process.env.AUDIT_QUERIES
  ? JSON.parse(await fs.readFile(process.env.AUDIT_QUERIES, "utf8"))
  : ["never awaited", "semaphore"];
// Lighthouse pages: a JSON list of [name, path] in AUDIT_LIGHTHOUSE_PAGES (the tests
// pick one page of every shape plus a sample, tests/test_audit.py), else these four.
const LIGHTHOUSE_PAGES = process.env.AUDIT_LIGHTHOUSE_PAGES
  ? JSON.parse(await fs.readFile(process.env.AUDIT_LIGHTHOUSE_PAGES, "utf8"))
  : [
      ["home", ""],
      ["topic", "basics/"],
      ["recipe", "basics/use-asyncio/"],
      ["404", "404.html"],
    ];
const RECIPE_PAGE = "basics/use-asyncio/";
const MOBILE_WIDTH = 375;

const [base, outDir] = process.argv.slice(2);
const origin = new URL(base).origin;

async function sitePages() {
  const sitemap = await (await fetch(new URL("sitemap.xml", base))).text();
  const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  // The sitemap holds public URLs; audit the same paths on the local server.
  const paths = locs.map((loc) => new URL(loc).pathname.replace(/^\//, ""));
  return [...paths, "404.html"];
}

async function openPage(browser, url, { scheme = "light", width = 1280, clipboard = false, interact = true } = {}) {
  // Each load gets its own browser context: a first visit with empty storage (the
  // theme remembers a palette in localStorage) that pages checked side by side
  // cannot share.
  const context = await browser.createBrowserContext();
  if (clipboard) {
    await context.overridePermissions(origin, ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
  }
  const page = await context.newPage();
  page.once("close", () => context.close().catch(() => {}));
  await page.setViewport(
    width === MOBILE_WIDTH
      ? { width, height: 812, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { width, height: 900 },
  );
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  const requests = [];
  const urls = new Map(); // requestId -> URL
  const sizes = []; // [URL, bytes on the wire]
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  cdp.on("Network.requestWillBeSent", (e) => {
    requests.push(e.request.url);
    urls.set(e.requestId, e.request.url);
  });
  cdp.on("Network.loadingFinished", (e) => sizes.push([urls.get(e.requestId), e.encodedDataLength]));
  // Once the theme's script runs, its search worker fetches the index in the
  // background; the page itself is everything else.
  const bytes = () => {
    const isSearch = (u) => /search_index\.json|workers\/search/.test(u || "");
    const sum = (list) => list.reduce((total, [, n]) => total + n, 0);
    return { page: sum(sizes.filter(([u]) => !isSearch(u))), search: sum(sizes.filter(([u]) => isSearch(u))) };
  };
  const response = await page.goto(url, { waitUntil: "load" });
  await page.waitForNetworkIdle({ idleTime: 150 });
  // What a reader who only reads gets: the theme's script is not loaded until the
  // first interaction (overrides/partials/lazy-theme.js).
  const beforeInteraction = {
    bytes: bytes(),
    themeLoaded: requests.some(isThemeScript),
    scheme: await page.evaluate(() => document.body.getAttribute("data-md-color-scheme")),
  };
  if (interact) {
    await page.mouse.move(20, 20);
    await themeReady(page);
    await page.waitForNetworkIdle({ idleTime: 150 });
  }
  return { page, requests, bytes, beforeInteraction, status: response.status() };
}

function themeReady(page) {
  // lazy-theme.js marks the page once the theme's script has loaded and started.
  return page.waitForFunction(() => document.documentElement.dataset.theme === "ready", { timeout: 15000 });
}

function isThemeScript(url) {
  return /assets\/javascripts\/bundle\.[0-9a-f]+\.min\.js/.test(url);
}

function foreign(urls) {
  return urls.filter((u) => !/^(data|blob|about):/.test(u) && new URL(u).origin !== origin);
}

async function axeViolations(page) {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}

async function renderedFacts(page) {
  return page.evaluate(() => {
    const text = (el) => (el ? el.textContent.replace(/¶/g, "").replace(/\s+/g, " ").trim() : null);
    const box = document.querySelector(".md-content .admonition.abstract");
    const answer = box
      ? [...box.querySelectorAll("p:not(.admonition-title)")].map(text).join(" ")
      : null;
    const scheme = document.body.getAttribute("data-md-color-scheme");
    return {
      scheme,
      title: document.title,
      h1: text(document.querySelector(".md-content h1")),
      answer,
      description: document.querySelector('meta[name="description"]')?.content ?? null,
      canonical: document.querySelector('link[rel="canonical"]')?.href ?? null,
      jsonld: [...document.querySelectorAll('script[type="application/ld+json"]')].map(
        (s) => JSON.parse(s.textContent),
      ),
    };
  });
}

async function horizontalScroll(page) {
  return page.evaluate(() => {
    const describe = (el) =>
      el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
    const isCode = (el) => el.closest("pre") !== null;
    const scrollers = [...document.querySelectorAll("body *")].filter((el) => {
      const style = getComputedStyle(el);
      const scrolls = ["auto", "scroll"].includes(style.overflowX);
      // Hidden parts of the theme (closed search, drawer) do not scroll for a reader.
      const shown = el.checkVisibility({ visibilityProperty: true }) && el.offsetHeight > 0;
      return scrolls && shown && el.scrollWidth > el.clientWidth + 1;
    });
    return {
      pageWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      nonCode: scrollers.filter((el) => !isCode(el)).map(describe),
      code: scrollers.filter(isCode).length,
    };
  });
}

// Pages are checked a few at a time: each check waits on the browser, not the CPU.
const PAGE_CONCURRENCY = 3;

async function auditPages(browser, paths, screensDir) {
  const results = [];
  for (let i = 0; i < paths.length; i += PAGE_CONCURRENCY) {
    const batch = paths.slice(i, i + PAGE_CONCURRENCY);
    results.push(...(await Promise.all(batch.map((p) => auditPage(browser, p, screensDir)))));
  }
  return results;
}

async function auditPage(browser, p, screensDir) {
  const url = new URL(p, base).href;
  const entry = { path: p, schemes: {} };
  for (const scheme of ["light", "dark"]) {
    const { page, requests, bytes, beforeInteraction, status } = await openPage(browser, url, { scheme });
    entry.status = status;
    // Checked once the theme's script has run: its buttons and search are there.
    entry.schemes[scheme] = {
      violations: await axeViolations(page),
      facts: await renderedFacts(page),
      beforeInteraction: { scheme: beforeInteraction.scheme, themeLoaded: beforeInteraction.themeLoaded },
      themeLoaded: requests.some(isThemeScript),
    };
    entry.foreign = [...new Set([...(entry.foreign || []), ...foreign(requests)])];
    if (scheme === "light") entry.bytes = { ...bytes(), beforeInteraction: beforeInteraction.bytes.page };
    await page.close();
  }
  const mobile = await openPage(browser, url, { width: MOBILE_WIDTH });
  entry.mobile = await horizontalScroll(mobile.page);
  const shot = path.join(screensDir, (p.replace(/\/$/, "").replace(/\//g, "__") || "home") + "-375.png");
  await mobile.page.screenshot({ path: shot });
  entry.mobile.screenshot = shot;
  await mobile.page.close();
  return entry;
}

async function searchFor(browser, query) {
  // The reader's first interaction is with the search box: clicking it loads the
  // theme's script, and what is typed meanwhile must still be searched.
  const { page } = await openPage(browser, base, { interact: false });
  await page.click(".md-search__input");
  await page.type(".md-search__input", query, { delay: 20 });
  // The meta line changes from "Initializing search" to a count once results render.
  await page.waitForFunction(
    (q) => {
      const meta = document.querySelector(".md-search-result__meta");
      return document.querySelector(".md-search__input").value === q && meta && !/Initializing|Type to start/i.test(meta.textContent);
    },
    { timeout: 15000 },
    query,
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const hits = await page.$$eval(".md-search-result__item > a.md-search-result__link", (as) =>
    as.map((a) => new URL(a.href).pathname.replace(/^\//, "")),
  );
  await page.close();
  return hits;
}

// The query set (tests/search_queries.tsv): many queries, so one page and the theme's
// own search box, as a reader uses it: each query replaces the last one in the box, and
// its results are read once the theme has rendered them.
const QUERY_SET = process.env.AUDIT_QUERY_SET
  ? JSON.parse(await fs.readFile(process.env.AUDIT_QUERY_SET, "utf8"))
  : [];

async function searchMany(browser, queries) {
  const { page } = await openPage(browser, base, { interact: false });
  await page.click(".md-search__input");
  await themeReady(page);
  const results = {};
  for (const query of queries) {
    await page.$eval(".md-search__input", (input, q) => {
      input.value = q;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }, query);
    // Rendered for this query: the meta line holds a count, and the list settles.
    await page.waitForFunction(
      (q) => {
        const meta = document.querySelector(".md-search-result__meta");
        return document.querySelector(".md-search__input").value === q && meta && !/Initializing|Type to start/i.test(meta.textContent);
      },
      { timeout: 15000 },
      query,
    );
    let previous = null;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 120));
      const hits = await page.$$eval(".md-search-result__item > a.md-search-result__link", (as) =>
        as.map((a) => new URL(a.href).pathname.replace(/^\//, "")),
      );
      if (JSON.stringify(hits) === JSON.stringify(previous)) break;
      previous = hits;
    }
    results[query] = previous;
  }
  await page.close();
  return results;
}

async function searchShortcut(browser) {
  // A keyboard reader's first act on a fresh page is the theme's "/" shortcut: the key
  // loads the theme's script, and must still open the search box (lazy-theme.js).
  const { page } = await openPage(browser, base, { interact: false });
  await page.keyboard.press("/");
  await themeReady(page);
  const opened = await page
    .waitForFunction(() => document.activeElement?.matches(".md-search__input"), { timeout: 5000 })
    .then(() => true, () => false);
  const result = await page.evaluate((opened) => ({
    focused: opened,
    open: document.getElementById("__search")?.checked === true,
    value: document.querySelector(".md-search__input").value,
  }), opened);
  await page.close();
  return result;
}

async function copyWholeScript(browser, pagePath) {
  const { page } = await openPage(browser, new URL(pagePath, base).href, { clipboard: true });
  const details = await page.$("details.whole-script");
  if (!details) {
    await page.close();
    return { found: false };
  }
  await page.$eval("details.whole-script", (d) => {
    d.open = true;
    d.scrollIntoView();
  });
  // The theme adds copy buttons to code blocks lazily, once they are visible.
  const button = 'details.whole-script button[data-md-type="copy"]';
  await page.waitForSelector(button, { visible: true, timeout: 10000 });
  await page.click(button);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  const href = await page.$eval("a.download", (a) => a.href);
  const file = await (await fetch(href)).text();
  await page.close();
  return { found: true, clipboard, file, href };
}

async function runLighthouse(port, url, formFactor) {
  const config = formFactor === "desktop" ? desktopConfig : undefined;
  const runs = [];
  const perfect = (r) => ["performance", "accessibility", "best-practices", "seo"].every((c) => r[c] === 100);
  for (let i = 0; i < RUNS; i++) {
    if (i === 1 && perfect(runs[0])) break; // one run that scores 100 everywhere is enough
    const { lhr } = await lighthouse(url, { port, output: "json", logLevel: "error" }, config);
    const score = (id) => Math.round(lhr.categories[id].score * 100);
    const value = (id) => lhr.audits[id].numericValue;
    runs.push({
      performance: score("performance"),
      accessibility: score("accessibility"),
      "best-practices": score("best-practices"),
      seo: score("seo"),
      bytes: value("total-byte-weight"),
      fcp: value("first-contentful-paint"),
      lcp: value("largest-contentful-paint"),
      tbt: value("total-blocking-time"),
      failing: Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
        .map((a) => a.id),
    });
  }
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  const keys = ["performance", "accessibility", "best-practices", "seo", "bytes", "fcp", "lcp", "tbt"];
  return { ...Object.fromEntries(keys.map((k) => [k, median(k)])), runs };
}

function markdownTable(lh) {
  const rows = [
    "| page | form factor | perf | a11y | best-pr. | SEO | bytes (KiB) | FCP (ms) | LCP (ms) | TBT (ms) |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of lh) {
    rows.push(
      `| ${r.page} | ${r.formFactor} | ${r.performance} | ${r.accessibility} | ${r["best-practices"]} | ${r.seo} | ${(r.bytes / 1024).toFixed(1)} | ${Math.round(r.fcp)} | ${Math.round(r.lcp)} | ${Math.round(r.tbt)} |`,
    );
  }
  return rows.join("\n") + "\n";
}

async function main() {
  const screensDir = path.join(outDir, "screens");
  await fs.mkdir(screensDir, { recursive: true });
  const chrome = await launch({ chromePath: CHROME, chromeFlags: FLAGS });
  try {
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    const paths = await sitePages();
    const pages = SKIP.has("pages") ? [] : await auditPages(browser, paths, screensDir);
    const searches = {};
    for (const q of SKIP.has("searches") ? [] : SEARCHES) searches[q] = await searchFor(browser, q);
    const querySet = await searchMany(browser, QUERY_SET);
    const shortcut = await searchShortcut(browser);
    const copy = await copyWholeScript(browser, RECIPE_PAGE);
    browser.disconnect();
    const lh = [];
    for (const [name, p] of SKIP.has("lighthouse") ? [] : LIGHTHOUSE_PAGES) {
      for (const formFactor of ["mobile", "desktop"]) {
        const r = await runLighthouse(chrome.port, new URL(p, base).href, formFactor);
        lh.push({ page: name, path: p, formFactor, ...r });
        process.stderr.write(`lighthouse ${name} ${formFactor}: ${r.performance}/${r.accessibility}/${r["best-practices"]}/${r.seo}\n`);
      }
    }
    const report = { base, chrome: CHROME, runs: RUNS, pages, searches, querySet, shortcut, copy, lighthouse: lh };
    await fs.writeFile(path.join(outDir, "audit.json"), JSON.stringify(report, null, 2));
    await fs.writeFile(path.join(outDir, "audit.md"), markdownTable(lh));
  } finally {
    await chrome.kill();
  }
}

await main();
