/* gxgk serve: reload the page after each rebuild, and show the build's errors over it.
   Added to HTML responses by `gxgk serve` only; never part of a built site. Talks only to the
   server it came from: /__gxgk/events (Server-Sent Events carrying the build state). */
(function () {
  "use strict";
  var script = document.currentScript;
  var pageBuild = script.getAttribute("data-build");
  var pageOk = script.getAttribute("data-status") === "200";
  var DISMISSED = "gxgk-serve-dismissed";
  var overlay = null;
  var latest = null;
  var checking = false;

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/__gxgk/overlay.css";
  document.head.appendChild(css);

  function remember(key) {
    try { window.sessionStorage.setItem(DISMISSED, key); } catch (e) { /* storage blocked */ }
  }
  function dismissedKey() {
    try { return window.sessionStorage.getItem(DISMISSED); } catch (e) { return null; }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hideOverlay() {
    if (overlay) {
      overlay.parentNode.removeChild(overlay);
      overlay = null;
    }
  }

  function showOverlay(state) {
    var key = JSON.stringify(state.findings);
    if (!state.findings.length || dismissedKey() === key) {
      hideOverlay();
      return;
    }
    if (overlay && overlay.getAttribute("data-key") === key) return;
    hideOverlay();
    overlay = el("section", "gxgk-overlay");
    overlay.id = "gxgk-overlay";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-labelledby", "gxgk-overlay-title");
    overlay.setAttribute("data-key", key);
    overlay.setAttribute("lang", "zh-CN");
    var title = el("h2", "gxgk-overlay-title",
                   "预览有错误（" + state.findings.length + " 处）Build errors");
    title.id = "gxgk-overlay-title";
    overlay.appendChild(title);
    var list = el("ul", "gxgk-overlay-list");
    state.findings.forEach(function (f) {
      var item = el("li");
      item.appendChild(el("code", "gxgk-overlay-place", f.line ? f.path + ":" + f.line : f.path));
      item.appendChild(document.createTextNode(" " + f.message + " "));
      item.appendChild(el("span", "gxgk-overlay-rule", "[" + f.rule + "]"));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    if (state.withheld.length) {
      overlay.appendChild(el("p", "gxgk-overlay-note",
        "未纳入预览 Left out of the preview until fixed: " + state.withheld.join(", ")));
    }
    overlay.appendChild(el("p", "gxgk-overlay-note",
      "页面显示的是最近一次成功的构建；改正并保存文件后将自动刷新。" +
      "The page shows the last good build; save the fixed file and it reloads by itself."));
    var close = el("button", "gxgk-overlay-close", "关闭 Close");
    close.type = "button";
    close.addEventListener("click", function () {
      remember(key);
      hideOverlay();
    });
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  /* A new build: reload, unless this page is gone from it (an item held back for its errors):
     then keep showing the page as it was, under the overlay, until the item is back. */
  function follow(state) {
    if (state.build === pageBuild || state.generation === 0) return;
    if (!pageOk) {
      window.location.reload();
      return;
    }
    if (checking) return;
    checking = true;
    var seen = state.build;
    fetch(window.location.href, {method: "HEAD", cache: "no-store"}).then(function (response) {
      checking = false;
      if (response.ok) {
        window.location.reload();
      } else {
        pageBuild = seen;
        if (latest && latest.build !== seen) follow(latest);
      }
    }, function () {
      checking = false;
    });
  }

  function searchNote() {
    var results = document.getElementById("search-results");
    if (!results || document.getElementById("gxgk-search-note")) return;
    var note = el("p", "gxgk-search-note",
      "预览模式不生成站内搜索索引，检索不可用；gxgk build 会生成。" +
      "Search is not built in preview (gxgk build makes it).");
    note.id = "gxgk-search-note";
    note.setAttribute("role", "note");
    results.parentNode.insertBefore(note, results);
  }

  function connect() {
    var source = new EventSource("/__gxgk/events");
    source.onmessage = function (event) {
      var state = JSON.parse(event.data);
      latest = state;
      showOverlay(state);
      follow(state);
    };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", searchNote);
  } else {
    searchNote();
  }
  connect();
})();
