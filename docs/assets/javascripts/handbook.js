// Every page: the date on printouts, and offline use (the service worker at the site's root).
// Nothing personal is stored: the caches hold the handbook's own files only.
// It runs before the theme's script (overrides/main.html), to catch the search worker it starts.
(() => {
  // The theme starts its search worker from its own script; the worker it names is the handbook's
  // (workers/handbook-search.js), which waits to be told that a person is about to search (below).
  let searchWorker = null;
  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        if (String(url).includes("/workers/handbook-search.js")) searchWorker = this;
      }
    };
  }

  // The locale dates and numbers are written in: the page's language as used in Viet Nam ("vi-VN",
  // "en-VN"); a language that names its own region or script ("en-GB", "bdq-Latn") as it is.
  const locale = (lang = document.documentElement.lang || "vi") => {
    for (const tag of [lang.includes("-") ? lang : `${lang}-VN`, lang, "vi-VN"]) {
      try { return Intl.getCanonicalLocales(tag)[0]; } catch { /* not a valid tag: the next one */ }
    }
    return "vi-VN";
  };
  window.hbLocale = locale;
  const stamp = () => {
    const today = new Date().toLocaleDateString(locale());
    for (const el of document.querySelectorAll("[data-print-date]")) el.textContent = today;
  };
  stamp();
  window.addEventListener("beforeprint", stamp);

  // Text size: kept on this device (a reading preference, nothing personal).
  const SIZE_KEY = "hb-text-size";
  const applySize = (size) => {
    if (size === "100") document.documentElement.removeAttribute("data-text-size");
    else document.documentElement.dataset.textSize = size;
    for (const button of document.querySelectorAll("button[data-text-size]")) {
      button.setAttribute("aria-pressed", String(button.dataset.textSize === size));
    }
  };
  let savedSize = "100";
  try { savedSize = localStorage.getItem(SIZE_KEY) || "100"; } catch { /* storage blocked */ }
  applySize(savedSize);
  for (const button of document.querySelectorAll("button[data-text-size]")) {
    button.addEventListener("click", () => {
      const size = button.dataset.textSize;
      applySize(size);
      try {
        if (size === "100") localStorage.removeItem(SIZE_KEY);
        else localStorage.setItem(SIZE_KEY, size);
      } catch { /* storage blocked: the size holds for this page */ }
    });
  }
  window.hbResetTextSize = () => { // the kiosk forgets it with everything else
    try { localStorage.removeItem(SIZE_KEY); } catch { /* nothing kept */ }
    applySize("100");
  };

  const script = document.currentScript;
  const root = new URL("../../", script.src); // this file is assets/javascripts/handbook.js

  // The kiosk (/kiosk/) and every page opened from it (?kiosk): each link followed stays in kiosk
  // mode, also those drawn later (results, search results).
  const fromKiosk = new URLSearchParams(location.search).has("kiosk");
  if (fromKiosk || document.querySelector('#hb-wizard[data-kiosk="true"]')) {
    // the citizen's view (handbook.css): no search, no menus, no staff navigation, large
    document.documentElement.classList.add("hb-kiosk");
    const keepKiosk = (link) => {
      const target = new URL(link.href, location.href);
      if (target.origin === location.origin && !target.pathname.endsWith("/kiosk/")
          && !target.searchParams.has("kiosk")) {
        target.searchParams.set("kiosk", "");
        link.href = target.href;
      }
    };
    for (const link of document.querySelectorAll("a[href]")) keepKiosk(link);
    for (const type of ["pointerdown", "click", "keydown"]) {
      document.addEventListener(type, (event) => {
        const link = event.target.closest?.("a[href]");
        if (link) keepKiosk(link);
      }, true);
    }
  }

  // The kiosk's "are you still there?", for the wizard at the kiosk (wizard.js) and every page
  // opened from it (below): after `seconds()` (read each time: it can change) without a touch, a
  // dialog with one big button and a countdown comes first (an alertdialog, which screen readers
  // announce; `warned()` can say it aloud), then `forget()`. Any touch, or the button, keeps the
  // session; so does the time `inUse()` says there is nobody to forget.
  const watchIdle = ({ dialog, seconds, forget, inUse = () => true, warned = () => {}, stay = () => {} }) => {
    let last = Date.now();
    let warning = false;
    const touched = () => { last = Date.now(); };
    for (const type of ["pointerdown", "keydown", "touchstart", "wheel"]) {
      window.addEventListener(type, touched, { passive: true, capture: true });
    }
    const count = dialog?.querySelector(".hb-idle__count");
    const close = () => {
      if (dialog?.open) dialog.close();
      warning = false;
    };
    dialog?.querySelector(".hb-idle__stay").addEventListener("click", () => { touched(); stay(); close(); });
    dialog?.addEventListener("cancel", () => { touched(); warning = false; }); // Escape
    setInterval(() => {
      const idle = seconds();
      const warn = Math.min(20, Math.max(1, Math.floor(idle / 3))); // seconds of warning, within idle
      const quiet = (Date.now() - last) / 1000;
      if (!inUse() || quiet < idle - warn) {
        if (warning) close(); // touched meanwhile: still here
        return;
      }
      if (quiet >= idle) {
        close();
        forget();
        last = Date.now();
        return;
      }
      if (!dialog) return;
      count.textContent = count.dataset.text.replace("{n}", String(Math.ceil(idle - quiet)));
      if (!warning) {
        warning = true;
        dialog.showModal();
        warned();
      }
    }, 250);
    return { close };
  };
  window.hbIdle = watchIdle;

  // A page opened from the lookup kiosk (?kiosk): a big way back, and back by itself when idle,
  // after the same warning as the kiosk's.
  if (fromKiosk) {
    document.documentElement.classList.add("hb-kiosk-view"); // a citizen's page: handbook.css
    // the theme's logo links to this language's home page; the kiosk is beside it
    const languageHome = new URL(document.querySelector("a.md-logo")?.getAttribute("href") || ".", location.href);
    const home = new URL("kiosk/", `${languageHome.origin}${languageHome.pathname.replace(/\/?$/, "/")}`);
    const button = document.querySelector(".hb-kiosk-home");
    if (button) {
      button.href = home.href;
      button.hidden = false;
      button.closest(".hb-kiosk-back").hidden = false;
    }
    watchIdle({ dialog: document.querySelector(".hb-idle"), seconds: () => Number(button?.dataset.kioskIdle) || 90,
                forget: () => location.replace(home.href) });
  }

  // Search: the index is loaded only when a person starts to search. The page's search worker
  // (workers/handbook-search.js, named in the theme's configuration and caught above as the theme
  // starts it) waits for this page to say so: focus on the search box (a tap, a click, the search
  // shortcut), a tap on the search icon, or a search opened by the address (?q=).
  const searchBox = document.querySelector(".md-search__input");
  if (searchBox) {
    const ask = () => searchWorker?.postMessage({ type: "hb-search-start" });
    searchBox.addEventListener("focus", ask);
    document.getElementById("__search")?.addEventListener("change", ask);
    for (const icon of document.querySelectorAll('label[for="__search"]')) icon.addEventListener("pointerdown", ask);
    document.addEventListener("DOMContentLoaded", () => {
      if (document.activeElement === searchBox || document.getElementById("__search")?.checked) ask();
    });
  }

  // Listen: a .hb-listen control plays its clips (data-clips: names under assets/audio/) in turn,
  // with one <audio> element for the page: Opus in WebM, or MP3 where that does not play. Nothing
  // plays unasked, nothing is preloaded; pressing the control again, or another one, stops it.
  // The control says its state in aria-pressed, and in data-listen (playing, ended, failed).
  const player = document.createElement("audio");
  player.preload = "none";
  player.className = "hb-player";
  const format = player.canPlayType('audio/webm; codecs="opus"') ? "webm"
    : player.canPlayType("audio/mpeg") ? "mp3" : "";
  const clipUrl = (name) => new URL(`assets/audio/${name}.${format}`, root).href;
  const listening = { button: null, queue: [], done: null };
  // what is being read is marked: an element with data-speaks="CLIP" gets data-speaking while it plays
  const mark = (name) => {
    for (const el of document.querySelectorAll("[data-speaking]")) el.removeAttribute("data-speaking");
    if (name) for (const el of document.querySelectorAll(`[data-speaks="${CSS.escape(name)}"]`)) el.setAttribute("data-speaking", "");
  };
  const settle = (state) => {
    mark(null);
    const { button, done } = listening;
    listening.button = null;
    listening.queue = [];
    listening.done = null;
    if (button) {
      button.setAttribute("aria-pressed", "false");
      button.dataset.listen = state;
    }
    done?.(state);
  };
  const next = () => {
    const name = listening.queue.shift();
    if (!name) { settle("ended"); return; }
    mark(name);
    player.src = clipUrl(name);
    player.play().catch(() => settle("failed"));
  };
  player.addEventListener("ended", next);
  player.addEventListener("error", () => { if (listening.button || listening.done) settle("failed"); });
  const stop = () => {
    if (!player.paused) player.pause();
    settle("stopped");
  };
  // play `names` for `button` (or for no control: the kiosk's reading mode); resolves when done
  const play = (names, button = null) => new Promise((resolve) => {
    stop();
    if (!format || !names.length) { resolve("ended"); return; }
    listening.button = button;
    listening.queue = [...names];
    listening.done = resolve;
    if (button) {
      button.setAttribute("aria-pressed", "true");
      button.dataset.listen = "playing";
    }
    next();
  });
  const enable = (button) => {
    if (!format || button.dataset.listenReady) return;
    button.dataset.listenReady = "true";
    button.setAttribute("aria-pressed", "false");
    button.hidden = false;
  };
  if (format) {
    document.body.append(player);
    for (const button of document.querySelectorAll(".hb-listen")) enable(button);
    document.addEventListener("click", (event) => {
      const button = event.target.closest?.(".hb-listen");
      if (!button) return;
      if (listening.button === button) stop();
      else play(button.dataset.clips.split(" ").filter(Boolean), button);
    });
  }
  // for the wizard's script: controls it draws later, the reading mode, the kiosk's offline copy
  window.hbListen = { format, enable, play, stop, playing: () => Boolean(listening.queue.length || !player.paused) };

  if (!("serviceWorker" in navigator)) return;
  const notice = document.querySelector(".hb-update");

  // The worker could not keep the handbook for offline use because storage is full: say so, with
  // the space it needs (a failed download is retried by the browser and needs no notice).
  const megabytes = (bytes) => `${(bytes / 1e6).toLocaleString(locale(), { maximumFractionDigits: 1 })} MB`;
  navigator.serviceWorker.addEventListener("message", ({ data }) => {
    const storage = document.querySelector(".hb-storage");
    if (data?.type !== "offline-failed" || data.reason !== "storage" || !storage) return;
    storage.textContent = storage.dataset.text.replace("{needed}", megabytes(data.needed));
    storage.hidden = false;
  });

  function offerUpdate(worker) {
    if (!notice || !navigator.serviceWorker.controller) return; // first install: nothing to swap
    notice.hidden = false;
    notice.querySelector("[data-hb-reload]").onclick = () => worker.postMessage({ type: "activate-update" });
  }

  const register = () => navigator.serviceWorker.register(new URL("sw.js", root)).then((registration) => {
    if (registration.waiting) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed") offerUpdate(worker);
      });
    });
  }).catch((error) => console.warn("offline use unavailable:", error));
  // Caching the handbook must not slow its first showing: wait for the page to load, and on the
  // wizard's pages for its engine to be ready (or to have failed).
  if (document.getElementById("hb-wizard")) document.addEventListener("hb:engine-settled", register, { once: true });
  else if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });

  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!reloading && notice && !notice.hidden) {
      reloading = true;
      window.location.reload();
    }
  });
})();
