// The wizard page: one question per screen, a summary, then the result from the engine, which
// runs in Pyodide in a module worker started here (and only on this page).
// Answers live in this closure. The staff wizard also writes them, and the step, into the page's
// own URL fragment (#who=…&situation=…&step=…, with history.replaceState: no new history entry,
// never sent to a server, nothing stored), so that a language switch or a reload keeps them and a
// support slip's QR code can open the same procedure; Restart clears it. The kiosk keeps nothing.
// The root element carries the engine's state: data-engine="loading|ready|failed".
import { qrSvg } from "./qr.mjs";

const root = document.getElementById("hb-wizard");
if (root) init(root);

function init(root) {
  const config = JSON.parse(document.getElementById("hb-wizard-config").textContent);
  const { text } = config;
  const steps = [...config.questions, "summary", "result"];
  const answers = Object.fromEntries(config.questions.map((q) => [q, new Set()]));
  const engine = { state: "loading", worker: null, pending: new Map(), nextId: 1, timer: 0 };
  const bar = root.querySelector(".hb-engine__bar");
  const statusText = root.querySelector(".hb-engine__text");
  const fallback = root.querySelector(".hb-fallback");
  const resultBox = root.querySelector(".hb-result");
  const kiosk = root.dataset.kiosk === "true";
  const listen = window.hbListen; // handbook.js: the page's player (absent: no sound here)
  // handbook.js: dates and numbers in the page's language ("en-gb" too, which "-VN" would break)
  const locale = window.hbLocale?.(config.lang) ?? "vi-VN";
  const readAloud = document.querySelector(".hb-read-aloud");
  let current = 0;
  let closeIdle = null; // the kiosk's "are you still there?" warning (setupKiosk)

  for (const el of document.querySelectorAll(".hb-nojs")) el.hidden = true;
  root.hidden = false;
  performance.mark("hb-first-question"); // read by `make bench`

  for (const button of root.querySelectorAll(".hb-choice")) {
    button.addEventListener("click", () => {
      const chosen = answers[button.dataset.question];
      const answer = button.dataset.answer;
      if (chosen.has(answer)) chosen.delete(answer);
      else chosen.add(answer);
      button.setAttribute("aria-pressed", String(chosen.has(answer)));
      // reading aloud: a touched tile says its answer (the screen's control reads them all)
      if (listen && reading() && button.dataset.speaks) listen.play([button.dataset.speaks]);
      remember();
    });
  }

  root.addEventListener("click", (event) => {
    const target = event.target.closest("[data-go]");
    if (!target) return;
    const go = target.dataset.go;
    if (go === "next") show(current + 1);
    else if (go === "back") show(current - 1);
    else if (go === "print") print(target.dataset.paper || "a4");
    else if (go === "restart") restart();
    else if (steps.includes(go)) show(steps.indexOf(go));
  });

  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    const name = steps[current];
    remember();
    for (const section of root.querySelectorAll("[data-step]")) {
      section.hidden = section.dataset.step !== name;
    }
    if (name === "summary") fillSummary();
    listen?.stop();
    if (name === "result") compute();
    else speakScreen(root.querySelector(`[data-step="${name}"]`));
    // focus follows the step (screen readers, keyboards); the page scrolls only if the heading
    // is out of view, and never under the sticky header (scroll-margin-top in wizard.css)
    root.querySelector(`[data-step="${name}"] h2`).focus();
  }

  // ---- sound: listen controls drawn here, and the kiosk's "read each screen aloud" mode ------

  function listenButton(keys, label, name) {
    const clips = keys.map((key) => config.audio[key]).filter(Boolean);
    const icon = document.querySelector(".hb-listen__icon");
    if (!listen?.format || !clips.length || !icon) return null;
    const button = element("button", "hb-listen");
    button.type = "button";
    button.dataset.clips = clips.join(" ");
    button.setAttribute("aria-label", name ? `${label}: ${name}` : label);
    button.append(icon.cloneNode(true), element("span", "hb-listen__label", label));
    listen.enable(button);
    return button;
  }

  const reading = () => readAloud?.getAttribute("aria-pressed") === "true";

  // Read aloud, one screen after another, only once the person has asked for it on this kiosk
  function speakScreen(section) {
    if (!listen || !reading() || !section) return;
    // the slip is read whole (its control for all of it), not sentence by sentence as well
    const whole = section.querySelector(".hb-listen--slip");
    const names = (whole ? [whole] : [...section.querySelectorAll(".hb-listen")])
      .filter((button) => !button.hidden && !button.closest("[hidden]"))
      .flatMap((button) => button.dataset.clips.split(" "));
    listen.play(names);
  }

  if (readAloud && listen?.format) {
    readAloud.hidden = false;
    readAloud.addEventListener("click", () => {
      const on = readAloud.getAttribute("aria-pressed") !== "true";
      readAloud.setAttribute("aria-pressed", String(on));
      if (on) speakScreen(root.querySelector(`[data-step="${steps[current]}"]`));
      else listen.stop();
    });
  }

  // The kiosk prints the citizen's slip on the receipt printer (80 mm) or on A4. For the receipt,
  // receipt.css lays the page out as it will print (on screen too, for that moment), the slip is
  // measured, and the paper is cut to its length: an 80 mm strip as long as its content.
  function print(paper) {
    preparePrint(paper);
    window.addEventListener("afterprint", () => preparePrint(null), { once: true });
    window.print();
  }

  function preparePrint(paper) {
    const receipt = document.getElementById("hb-receipt-css");
    document.getElementById("hb-receipt-page")?.remove();
    if (!receipt) return;
    receipt.media = paper === "receipt" ? "all" : "not all";
    document.documentElement.classList.toggle("hb-receipt", paper === "receipt");
    if (paper !== "receipt") return;
    const last = root.querySelector(".hb-result-step .hb-result");
    const px = last.getBoundingClientRect().bottom + window.scrollY;
    const margin = 3; // mm, as receipt.css's page margin
    const length = Math.ceil(px * 25.4 / 96 + 2 * margin + 2); // a little room for rounding
    const page = element("style", "", `@page { size: 80mm ${length}mm; margin: ${margin}mm; }`);
    page.id = "hb-receipt-page";
    document.body.append(page); // after every stylesheet: its page size wins
  }

  function restart() {
    listen?.stop();
    closeIdle?.();
    for (const chosen of Object.values(answers)) chosen.clear();
    for (const button of root.querySelectorAll(".hb-choice")) button.setAttribute("aria-pressed", "false");
    resultBox.replaceChildren();
    fillSummary();
    show(0);
  }

  function chosenList(question) {
    // in the order the answers are shown, whatever order they were chosen in
    return [...root.querySelectorAll(`.hb-choice[data-question="${question}"]`)]
      .map((b) => b.dataset.answer)
      .filter((a) => answers[question].has(a));
  }

  function fillSummary() {
    for (const span of root.querySelectorAll(".hb-summary__answers")) {
      const list = chosenList(span.dataset.question);
      if (!kiosk || !list.length) {
        span.textContent = list.length ? list.map((a) => config.answers[a].label).join("; ") : text.none;
        continue;
      }
      span.replaceChildren(...list.map((a) => { // at the kiosk: each answer with its picture
        const chip = element("span", "hb-summary__answer");
        const pic = element("img", "hb-summary__pic");
        pic.src = config.answers[a].pictogram;
        pic.alt = "";
        chip.append(pic, element("span", "", config.answers[a].label));
        return chip;
      }));
    }
  }

  // ---- the engine -----------------------------------------------------------------------

  function setState(state, message) {
    const previous = engine.state;
    engine.state = state;
    root.dataset.engine = state;
    document.dispatchEvent(new Event("hb:engine-settled")); // offline caching may start now
    if (state === "ready") {
      performance.mark("hb-engine-ready");
      clearTimeout(engine.timer);
      bar.value = 100;
      statusText.textContent = text.ready;
      fallback.hidden = true;
      if (steps[current] === "result" && previous !== "ready") compute();
    } else if (state === "failed") {
      statusText.textContent = message || text.failed;
      showFallback(message || text.failed);
      if (steps[current] === "result") compute();
    }
  }

  function showFallback(message) {
    fallback.querySelector("p").textContent = message;
    const list = fallback.querySelector(".hb-fallback__guides");
    const chosen = config.questions.flatMap(chosenList);
    const shown = chosen.length ? chosen : Object.keys(config.answers);
    const seen = new Set();
    list.replaceChildren();
    for (const answer of shown) {
      const { guide, guide_title: title } = config.answers[answer];
      if (seen.has(guide)) continue;
      seen.add(guide);
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = kiosk ? `${guide}?kiosk` : guide;
      link.textContent = title;
      item.append(link);
      list.append(item);
    }
    fallback.hidden = false;
  }

  function startEngine() {
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      setState("failed", text.failed);
      return;
    }
    bar.removeAttribute("value"); // indeterminate until the worker reports
    statusText.textContent = text.stage_runtime;
    try {
      engine.worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
    } catch {
      setState("failed", text.failed);
      return;
    }
    engine.worker.onmessage = ({ data }) => {
      if (data.type === "progress") {
        bar.value = data.percent;
        statusText.textContent = text[`stage_${data.stage}`] || text.loading;
      } else if (data.type === "ready") {
        root.dataset.engineMs = String(data.ms);
        setState("ready");
      } else if (data.type === "error") {
        console.warn("wizard engine:", data.message);
        setState("failed", text.failed);
      } else if (data.type === "result") {
        engine.pending.get(data.id)?.(data);
        engine.pending.delete(data.id);
      }
    };
    engine.worker.onerror = (event) => {
      event.preventDefault();
      setState("failed", text.failed);
    };
    const timeout = Number(root.dataset.timeoutMs) || 12000;
    engine.timer = setTimeout(() => {
      if (engine.state === "loading") setState("failed", text.slow); // keeps loading; may still get ready
    }, timeout);
  }

  function ask(request) {
    return new Promise((resolve) => {
      const id = engine.nextId++;
      engine.pending.set(id, resolve);
      engine.worker.postMessage({ type: "decide", id, ...request });
    });
  }

  async function compute() {
    const wait = root.querySelector(".hb-wait"); // the kiosk says "please wait" only while it matters
    if (wait) wait.hidden = engine.state !== "loading";
    if (engine.state !== "ready") {
      const waiting = document.createElement("p");
      waiting.textContent = engine.state === "loading" ? text.waiting : text.failed;
      resultBox.replaceChildren(...(kiosk && engine.state === "loading" ? [] : [waiting]));
      if (engine.state === "failed") showFallback(text.failed);
      return;
    }
    const request = { lang: config.lang };
    for (const question of config.questions) request[question] = chosenList(question);
    resultBox.replaceChildren(); // never show the result of earlier answers, even for a moment
    delete resultBox.dataset.computeMs;
    const started = performance.now();
    const reply = await ask(request);
    if (!reply.ok) {
      console.warn("wizard engine:", reply.error);
      setState("failed", text.failed);
      return;
    }
    render(reply.result);
    resultBox.dataset.computeMs = (performance.now() - started).toFixed(1);
    speakScreen(resultBox);
  }

  // ---- the result ----------------------------------------------------------------------------
  // Every text comes from the rules or the page's config and goes in as text, never as markup.

  function element(tag, className, content) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  function withKiosk(href) { // a link followed from the kiosk stays in kiosk mode
    if (!kiosk) return href;
    const [path, hash] = href.split("#");
    return `${path}?kiosk${hash === undefined ? "" : `#${hash}`}`;
  }

  function sources(list) {
    const span = element("span", "hb-sources");
    for (const id of list) {
      const cite = config.cites[id];
      // at the kiosk a citation is printed text, not a link into the plans (no target to tap)
      const link = element(kiosk ? "span" : "a", "hb-cite", cite ? cite.label : id);
      if (cite && !kiosk) link.href = withKiosk(cite.href);
      link.dataset.cite = id;
      span.append(link, " ");
    }
    return span;
  }

  function render(result) {
    const printed = root.querySelector(".hb-printed");
    printed.textContent = `${text.printed_on} ${new Date().toLocaleDateString(locale)}`;
    resultBox.replaceChildren(...(kiosk ? slip(result) : checklist(result)));
  }

  function pathBox(result) {
    // a commune whose plans give no path for these answers gets the checklist alone
    const path = element("div", "hb-path");
    path.dataset.path = result.path ? result.path.id : "";
    // no path, some steps: what the plan says, and that the rest is the centre's usual procedure
    if (!result.path && result.items.length) path.append(element("p", "hb-no-path", text.no_path));
    path.hidden = !result.path && !result.items.length;
    if (result.path) {
      path.append(
        element("p", "hb-path__label", text.path_label),
        element("p", "hb-path__title", config.paths[result.path.id]),
      );
      const why = element("p", "hb-path__reason");
      why.append(element("strong", "", `${text.why}: `), result.path.reason, " ", sources(result.path.sources));
      path.append(why);
    }
    return path;
  }

  function notes(result) {
    const box = element("div", "hb-notes");
    box.hidden = !result.notes.length;
    if (result.notes.length) box.setAttribute("role", "note");
    box.append(element("p", "hb-notes__title", text.notes));
    for (const note of result.notes) {
      const p = element("p", "hb-note", `${note.text} `);
      p.dataset.note = note.id;
      p.append(sources(note.sources));
      box.append(p);
    }
    return box;
  }

  function step(item) {
    const li = element("li", "hb-item");
    li.dataset.item = item.id;
    li.dataset.phase = item.phase;
    li.dataset.parts = item.parts.join(" ");
    li.dataset.network = String(item.needs_network);
    const label = element("label", "hb-item__label");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    label.append(tick, " ", item.text);
    li.append(label);
    if (item.needs_network) li.append(" ", element("span", "hb-network", text.network));
    li.append(" ", sources(item.sources));
    return li;
  }

  function checklist(result) {
    const box = element("div", "hb-checklist");
    box.append(element("h3", "", text.checklist));
    const all = listenButton(result.items.flatMap((item) => item.parts.map((id) => `items.${id}.text`)),
      text.listen_all, text.checklist);
    if (all) box.append(all);
    if (!result.items.length) box.append(element("p", "hb-empty", text.empty));
    const said = new Set(); // a proviso is said once, before the first stage it governs
    for (const stage of result.stages) {
      if (stage.proviso && !said.has(stage.proviso)) {
        said.add(stage.proviso);
        const proviso = result.provisos.find((p) => p.id === stage.proviso);
        const p = element("p", "hb-proviso", `${proviso.text} `);
        p.dataset.proviso = proviso.id;
        p.append(sources(proviso.sources));
        box.append(p);
      }
      const heading = element("h4", "hb-phase", config.phases[stage.id]);
      heading.dataset.phase = stage.id;
      box.append(heading);
      if (stage.skipped) { // skipped for now (it needs the network), and said so
        const skipped = element("p", "hb-skipped", `${text.stage_skipped} `);
        skipped.dataset.phase = stage.id;
        skipped.append(sources(stage.sources));
        box.append(skipped);
        continue;
      }
      // a handbook of several plans says whose plan each stage follows
      const plans = stage.plans.filter((p) => config.plans[p]);
      if (plans.length) {
        const follows = element("p", "hb-follows", `${text.follows}: ${plans.map((p) => config.plans[p]).join("; ")}`);
        follows.dataset.plans = plans.join(" ");
        box.append(follows);
      }
      const list = element("ul", "hb-checklist__items");
      for (const item of result.items.filter((i) => i.phase === stage.id)) list.append(step(item));
      box.append(list);
    }
    const readings = element("p", "hb-readings");
    readings.hidden = !result.readings.length;
    for (const reading of result.readings) {
      const link = element("a", "hb-reading-link", text.reading);
      link.href = `${config.rules}#reading-${reading.id}`;
      link.title = reading.text;
      link.dataset.reading = reading.id;
      readings.append(link, " ");
    }
    return [pathBox(result), notes(result), box, readings];
  }

  // The citizen's support slip: their answers as pictures, what the centre will do for them in at
  // most five plain sentences, and a part to hand over at the counter. No staff orders.
  function slip(result) {
    const chosen = config.questions.flatMap(chosenList);
    const box = element("div", "hb-slip");
    if (config.draft) box.append(element("p", "hb-draft", config.draft)); // an unconfirmed plan's slip
    const answers = element("ul", "hb-slip__answers");
    answers.setAttribute("aria-label", text.slip_chosen);
    for (const answer of chosen) {
      const li = element("li", "hb-slip__answer");
      li.dataset.answer = answer;
      const pic = element("img", "hb-slip__pic");
      pic.src = config.answers[answer].pictogram;
      pic.alt = "";
      pic.width = config.answers[answer].width;
      pic.height = 32;
      li.append(pic, element("span", "", config.answers[answer].label));
      answers.append(li);
    }
    box.append(element("h3", "hb-slip__heading", text.slip_chosen), chosen.length ? answers : element("p", "", text.none));
    box.append(element("h3", "hb-slip__heading", text.slip_lead));
    const lines = element("ul", "hb-slip__lines");
    const said = new Set();
    for (const line of result.slip) {
      if (line.proviso && !said.has(line.proviso)) { // "if your file is handled here:", once
        said.add(line.proviso);
        const proviso = result.provisos.find((p) => p.id === line.proviso);
        const li = element("li", "hb-slip__proviso", proviso.slip);
        li.dataset.proviso = proviso.id;
        lines.append(li);
      }
      const li = element("li", "hb-slip__line", `${line.text} `);
      li.dataset.slip = line.id;
      li.append(sources(line.sources)); // heard with the whole slip (its one listen control)
      lines.append(li);
    }
    box.append(result.slip.length ? lines : element("p", "hb-slip__line", text.slip_none));
    // the whole slip, in the order it reads: what was chosen, then what the centre will do
    const whole = listenButton([
      "ui.slip_chosen", ...(chosen.length ? chosen.map((a) => `answers.${a}.label`) : ["ui.wizard_none"]),
      "ui.slip_lead", ...(result.slip.length ? result.slip.flatMap((line, n) =>
        (line.proviso && result.slip.findIndex((l) => l.proviso === line.proviso) === n
          ? [`provisos.${line.proviso}.slip`] : []).concat(`slip_lines.${line.id}.text`)) : ["ui.slip_none"]),
    ], text.listen_all, text.slip_title);
    if (whole) {
      whole.classList.add("hb-listen--slip");
      box.prepend(whole);
    }
    const counter = element("div", "hb-slip__counter");
    counter.append(element("h3", "hb-slip__heading", text.slip_counter), element("p", "", text.slip_needs));
    const needs = element("ul", "hb-slip__needs");
    for (const answer of chosen) needs.append(element("li", "", config.answers[answer].label));
    if (chosen.length) counter.append(needs);
    if (result.path) {
      const path = element("p", "hb-slip__path", `${text.slip_path}: ${config.paths[result.path.id]} `);
      path.dataset.path = result.path.id;
      path.append(sources(result.path.sources));
      counter.append(path);
    }
    // the officer scans this to open the staff procedure of the same answers on a phone: they
    // travel in the address's fragment, which the phone never sends to a server
    const address = staffAddress();
    const code = element("figure", "hb-slip__qr");
    code.dataset.href = address;
    code.append(qrSvg(address), element("figcaption", "", text.slip_qr));
    counter.append(code);
    box.append(counter);
    return [box];
  }

  // ---- answers in the URL fragment (the staff wizard; the slip's QR code) --------------------

  function fragment(step) {
    const params = new URLSearchParams();
    for (const question of config.questions) params.set(question, chosenList(question).join(","));
    params.set("step", step);
    return `#${params.toString().replaceAll("%2C", ",")}`;
  }

  function staffAddress() {
    // the staff wizard of this site, wherever it is served from (the page's own origin)
    return new URL(config.staff, location.href).href.split("#")[0] + fragment("result");
  }

  function remember() {
    if (kiosk) return; // the kiosk keeps nothing, not even in its address
    const empty = !config.questions.some((q) => answers[q].size) && current === 0;
    const url = location.href.split("#")[0] + (empty ? "" : fragment(steps[current]));
    if (url !== location.href) history.replaceState(history.state, "", url);
  }

  function recall() {
    if (kiosk || !location.hash.includes("=")) return false;
    const params = new URLSearchParams(location.hash.slice(1));
    let any = false;
    for (const question of config.questions) {
      for (const answer of (params.get(question) || "").split(",")) {
        const button = root.querySelector(`.hb-choice[data-question="${question}"][data-answer="${CSS.escape(answer)}"]`);
        if (!button) continue; // unknown or mistyped: ignored
        answers[question].add(answer);
        button.setAttribute("aria-pressed", "true");
        any = true;
      }
    }
    const step = steps.indexOf(params.get("step"));
    if (!any && step < 0) return false;
    fillSummary();
    show(step < 0 ? 0 : step);
    return true;
  }

  // the language switch leads to the same page in another language: with the same answers
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[hreflang]");
    if (!link || kiosk || !location.hash.includes("=")) return;
    link.href = link.href.split("#")[0] + location.hash;
  }, true);

  // ---- offline: the runtime is saved on demand (it is several MB) -----------------------------

  function setupOffline() {
    const box = root.querySelector(".hb-offline");
    if (!box || !("serviceWorker" in navigator)) return;
    const button = box.querySelector(".hb-offline__save");
    const status = box.querySelector(".hb-offline__status");
    const size = (bytes) =>
      `${(bytes / 1e6).toLocaleString(locale, { maximumFractionDigits: 1 })} MB`;
    const saved = () => {
      box.hidden = kiosk; // the kiosk saves itself: nothing for the citizen to read
      status.textContent = text.offline_saved;
      button.hidden = true;
      root.dataset.offline = "saved";
    };
    navigator.serviceWorker.addEventListener("message", ({ data }) => {
      if (data?.type === "runtime-status" && root.dataset.offline !== "saved") {
        if (data.saved) saved();
        else {
          box.hidden = kiosk;
          button.textContent = text.offline_save.replace("{size}", size(data.sent))
            .replace("{stored}", size(data.stored));
          root.dataset.offline = "not-saved";
        }
      } else if (data?.type === "runtime-saved") saved();
      else if (data?.type === "runtime-failed") {
        status.textContent = data.reason === "storage"
          ? text.offline_full.replace("{needed}", size(data.needed))
          : text.offline_failed;
        box.hidden = kiosk;
        button.disabled = false;
      }
    });
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.textContent = text.offline_saving;
      try { await navigator.storage?.persist?.(); } catch { /* best effort */ }
      (await navigator.serviceWorker.ready).active.postMessage({ type: "save-runtime" });
    });
    navigator.serviceWorker.ready.then((registration) =>
      registration.active.postMessage({ type: "runtime-status" }));
  }

  // ---- the lookup kiosk: save the runtime for offline use; forget everything when idle ----------

  function setupKiosk() {
    if (!kiosk) return;
    // Nothing of this person survives leaving the page: not in the back-forward cache, not on Back.
    window.addEventListener("pagehide", () => restart());
    window.addEventListener("pageshow", (event) => { if (event.persisted) restart(); });
    navigator.serviceWorker?.ready.then((registration) => {
      registration.active.postMessage({ type: "save-runtime" });
      if (listen?.format) registration.active.postMessage({ type: "save-audio", lang: config.lang, format: listen.format });
    });
    // Before forgetting, ask (handbook.js: the same warning on every page opened from the kiosk),
    // spoken too when the screens are read aloud.
    const dialog = document.querySelector(".hb-idle");
    closeIdle = window.hbIdle?.({
      dialog,
      seconds: () => Number(root.dataset.kioskIdle) || 90,
      inUse: () => current !== 0 || Object.values(answers).some((a) => a.size) || window.scrollY > 0
        || document.documentElement.hasAttribute("data-text-size") || reading(),
      warned: () => { if (listen && reading() && root.dataset.idleClips) listen.play(root.dataset.idleClips.split(" ")); },
      stay: () => listen?.stop(),
      forget: () => {
        readAloud?.setAttribute("aria-pressed", "false"); // the next person chooses for themselves
        restart();
        window.hbResetTextSize?.();
        window.scrollTo(0, 0);
      },
    })?.close;
  }

  setupOffline();
  setupKiosk();
  recall(); // the staff wizard's answers and step, from its address (a language switch, a QR code)
  startEngine();
}
