// Fill in the date on printed pages (guides, the wizard's checklist). Nothing is stored.
(() => {
  const stamp = () => {
    const lang = document.documentElement.lang || "vi";
    const today = new Date().toLocaleDateString(`${lang}-VN`);
    for (const el of document.querySelectorAll("[data-print-date]")) el.textContent = today;
  };
  stamp();
  window.addEventListener("beforeprint", stamp);
})();
