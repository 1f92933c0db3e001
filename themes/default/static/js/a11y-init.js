/* gxgk-site: apply the saved 适老化 modes before the page is first painted (no flash).
   Loaded without defer in <head>; kept tiny. The buttons themselves are wired in site.js. */
(function (root) {
  "use strict";
  root.classList.add("js");
  var saved = null;
  try {
    saved = JSON.parse(window.localStorage.getItem("gxgk-a11y") || "null");
  } catch (e) {
    saved = null; /* storage blocked or unreadable: default look */
  }
  if (saved && typeof saved === "object") {
    if (saved["large-font"] === true) root.classList.add("large-font");
    if (saved["high-contrast"] === true) root.classList.add("high-contrast");
  }
})(document.documentElement);
