// The slip's counter QR code, drawn in the browser: its address holds the person's answers, which
// exist only in this page (the cards' codes, fixed, are drawn at build time by segno). The code
// itself is qrcode-generator's (MIT licence; pinned in package.json, copied into the site at build
// time by handbook/hooks.py): byte mode, error correction level M as on the cards, the smallest
// version that holds the text. tests/test_kiosk.py decodes what this draws.
import qrcode from "./qrcode.mjs";

// The modules of the QR code of `text` (rows of booleans, true = dark).
export function qrModules(text) {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const size = qr.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
}

// The QR code of `text` as an SVG element (one path, a quiet zone of `border` modules), sized by CSS.
export function qrSvg(text, border = 2) {
  const dark = qrModules(text);
  const size = dark.length + border * 2;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("shape-rendering", "crispEdges");
  const back = document.createElementNS(ns, "rect");
  back.setAttribute("width", String(size));
  back.setAttribute("height", String(size));
  back.setAttribute("fill", "#fff");
  const path = document.createElementNS(ns, "path");
  let d = "";
  dark.forEach((row, y) => row.forEach((on, x) => { if (on) d += `M${x + border} ${y + border}h1v1h-1z`; }));
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(back, path);
  return svg;
}
