// Every page: the date on printouts, and offline use (the service worker at the site's root).
// Nothing personal is stored: the caches hold the handbook's own files only.
(() => {
  const stamp = () => {
    const lang = document.documentElement.lang || "vi";
    const today = new Date().toLocaleDateString(`${lang}-VN`);
    for (const el of document.querySelectorAll("[data-print-date]")) el.textContent = today;
  };
  stamp();
  window.addEventListener("beforeprint", stamp);

  if (!("serviceWorker" in navigator)) return;
  const script = document.currentScript;
  const root = new URL("../../", script.src); // this file is assets/javascripts/handbook.js
  const notice = document.querySelector(".hb-update");

  function offerUpdate(worker) {
    if (!notice || !navigator.serviceWorker.controller) return; // first install: nothing to swap
    notice.hidden = false;
    notice.querySelector("[data-hb-reload]").onclick = () => worker.postMessage({ type: "activate-update" });
  }

  navigator.serviceWorker.register(new URL("sw.js", root)).then((registration) => {
    if (registration.waiting) offerUpdate(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed") offerUpdate(worker);
      });
    });
  }).catch((error) => console.warn("offline use unavailable:", error));

  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!reloading && notice && !notice.hidden) {
      reloading = true;
      window.location.reload();
    }
  });
})();
