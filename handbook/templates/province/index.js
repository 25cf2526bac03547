// The province's index (make communes): find a commune by its name, with or without accents
// ("Ngọk Réo", "ngok reo"), as the handbook's own search folds them.
(() => {
  const fold = (text) => text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  const input = document.getElementById("hb-find");
  const status = document.getElementById("hb-found");
  const items = [...document.querySelectorAll("li[data-name]")];
  const sections = [...document.querySelectorAll("main section")];
  input.addEventListener("input", () => {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const hit = words.every((word) => item.dataset.name.includes(word));
      item.hidden = !hit;
      shown += hit ? 1 : 0;
    }
    for (const section of sections) section.hidden = !section.querySelector("li:not([hidden])");
    status.textContent = words.length ? (shown ? `${shown} xã, phường` : "Không tìm thấy xã, phường nào") : "";
  });
})();
