// The search worker every page names (overrides/main.html): the theme's own worker, started only
// when a person starts to search.
//
// The theme's script fetches search/search_index.json on every page load and hands it to its
// worker at once (the "setup" message). That file holds only the index's configuration
// (handbook/search_index.py); this worker keeps the message until the page says that a person is
// about to search (handbook.js, with a message of its own: focus on the search box, the search
// shortcut, a tap on the search icon). Then it loads the theme's worker and the whole index,
// search/search_index.full.json, and hands the theme's worker the setup message with it: it loads
// its language scripts, builds the index and says it is ready, as it always does. Until then the
// theme shows its "initializing search" line. Offline, the service worker serves these files.
"use strict";
(() => {
  const params = new URLSearchParams(self.location.hash.slice(1));
  const theme = params.get("worker"); // the theme's worker, beside this file
  let setup = null; // the theme's setup message, kept until a search starts
  let wanted = false;
  let started = false;

  async function load() {
    const url = new URL("../../../search/search_index.full.json", self.location.href);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const index = await response.json();
    importScripts(new URL(theme, self.location.href).href); // it listens for messages from now on
    self.dispatchEvent(new MessageEvent("message", {
      data: { ...setup, data: { ...setup.data, config: index.config, docs: index.docs } },
    }));
  }

  function start() {
    if (started) return;
    started = true;
    // not loaded (offline, and never cached): the next time the page asks, try again
    load().catch((error) => { started = false; console.warn("search:", error); });
  }

  self.addEventListener("message", (event) => {
    if (event.data?.type === "hb-search-start") { // from handbook.js: a person is about to search
      event.stopImmediatePropagation(); // not for the theme's worker, which knows no such message
      wanted = true;
      if (setup) start();
      return;
    }
    if (started || event.data?.type !== 0) return; // 0: the theme's setup message (only it comes first)
    setup = event.data;
    if (wanted) start();
  });
})();
