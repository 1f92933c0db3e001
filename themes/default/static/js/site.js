/* gxgk-site theme script: 适老化 buttons (大字模式, 高对比度) and 【打印】. No libraries.
 *
 * Buttons with data-toggle="large-font" or data-toggle="high-contrast" toggle that class on
 * <html>, keep aria-pressed in step and remember the choice in localStorage ("gxgk-a11y").
 * a11y-init.js applies the saved choice early; this file applies it again, in case that file
 * did not run. Buttons with data-print print the page. Native <button>s: keyboard-operable.
 */
(function () {
  "use strict";

  var KEY = "gxgk-a11y";
  var MODES = ["large-font", "high-contrast"];
  var root = document.documentElement;

  function readSaved() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return saved && typeof saved === "object" ? saved : {};
    } catch (e) {
      return {}; /* no storage (private mode, disabled cookies, file://): just don't remember */
    }
  }

  function save() {
    var state = {};
    MODES.forEach(function (mode) {
      state[mode] = root.classList.contains(mode);
    });
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      /* the mode still works for this page */
    }
  }

  function syncButtons() {
    var buttons = document.querySelectorAll("[data-toggle]");
    Array.prototype.forEach.call(buttons, function (button) {
      var mode = button.getAttribute("data-toggle");
      if (MODES.indexOf(mode) !== -1) {
        button.setAttribute("aria-pressed", root.classList.contains(mode) ? "true" : "false");
      }
    });
  }

  function init() {
    if (!root.classList.contains("js")) root.classList.add("js");
    var saved = readSaved();
    MODES.forEach(function (mode) {
      if (saved[mode] === true) root.classList.add(mode);
    });
    syncButtons();

    document.addEventListener("click", function (event) {
      var target = event.target;
      var button = target && target.closest ? target.closest("[data-toggle], [data-print]") : null;
      if (!button) return;
      if (button.hasAttribute("data-print")) {
        event.preventDefault();
        window.print();
        return;
      }
      var mode = button.getAttribute("data-toggle");
      if (MODES.indexOf(mode) === -1) return;
      root.classList.toggle(mode);
      syncButtons();
      save();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
