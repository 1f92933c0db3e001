/* gxgk-site public search: Pagefind, queried exactly for Chinese.
 *
 * The index holds each item's text cut into runs at punctuation and units (a CJK character, or
 * a run of ASCII letters and digits), each unit written as a word together with the next unit
 * of its run, spelled in ASCII (see gxgk_site/public_search/representation.py: the cutting and
 * spelling here must match it). A query is cut the same way; each part becomes the quoted
 * phrase of its pairs of units (or, for a single unit, its code as a prefix), searched on its
 * own, and the parts' results are intersected. On the Traditional mirror the query is first mapped back to Simplified with
 * the site's own character map (search/t2s.json). */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var SYMBOLS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var CJK_RANGES = [[0x3400, 0x4DBF], [0x4E00, 0x9FFF], [0xF900, 0xFAFF]];
  var PAGE_SIZE = 10;
  var RUN_BREAK = /[^\p{L}\p{N}_]+/u;
  var UNIT = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+/g;
  var hant = app.getAttribute("data-lang") === "zh-Hant";
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pager = document.getElementById("search-pager");
  var text = JSON.parse(document.getElementById("search-text").textContent);

  /* unit_code in representation.py */
  function unitCode(unit) {
    if (/^[a-z0-9]+$/.test(unit)) {
      return "x" + unit.replace(/z/g, "zz").replace(/y/g, "zy") + "y";
    }
    var point = unit.codePointAt(0), place = 0;
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (point >= CJK_RANGES[i][0] && point <= CJK_RANGES[i][1]) {
        place += point - CJK_RANGES[i][0];
        break;
      }
      place += CJK_RANGES[i][1] - CJK_RANGES[i][0] + 1;
    }
    return SYMBOLS[Math.floor(place / 1296)] + SYMBOLS[Math.floor(place / 36) % 36] +
      SYMBOLS[place % 36];
  }

  /* query_words in representation.py, for each part of the query */
  function phrases(query) {
    return query.split(RUN_BREAK).map(function (part) {
      return (part.match(UNIT) || []).map(function (u) { return unitCode(u.toLowerCase()); });
    }).filter(function (codes) { return codes.length; }).map(function (codes) {
      if (codes.length === 1) return codes[0];  /* a prefix: the unit before anything */
      var pairs = [];
      for (var i = 1; i < codes.length; i++) pairs.push(codes[i - 1] + codes[i]);
      return '"' + pairs.join(" ") + '"';
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var toHant = function (s) { return s; };

  function convert(s, map) {
    return Array.from(s).map(function (c) { return map[c] || c; }).join("");
  }

  /* On the mirror: the query back to Simplified (the index is Simplified), and the excerpt
   * source to Traditional, both with the site's own character maps. */
  function toSimplified(query) {
    if (!hant) return Promise.resolve(query);
    return Promise.all([app.getAttribute("data-t2s"), app.getAttribute("data-s2t")]
      .map(function (url) { return fetch(url).then(function (r) { return r.json(); }); }))
      .then(function (maps) {
        toHant = function (s) { return convert(s, maps[1]); };
        return convert(query, maps[0]);
      });
  }

  /* Where the text contains the part as the index matched it: letters and digits as whole
   * runs (a search for 12 found 12档, not 12333), or -1. */
  var ALNUM = /[A-Za-z0-9]/;
  function find(text, part) {
    var lower = text.toLowerCase(), wanted = part.toLowerCase();
    for (var at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + 1)) {
      var before = at > 0 && ALNUM.test(wanted[0]) && ALNUM.test(lower[at - 1]);
      var after = ALNUM.test(wanted[wanted.length - 1]) &&
        ALNUM.test(lower[at + wanted.length] || "");
      if (!before && !after) return at;
    }
    return -1;
  }

  /* An excerpt of the readable text around the first match, the match marked. */
  function excerpt(body, parts) {
    var at = -1, len = 0;
    for (var i = 0; i < parts.length && at < 0; i++) {
      at = find(body, parts[i]);
      len = parts[i].length;
    }
    if (at < 0) return escapeHtml(body.slice(0, 90)) + (body.length > 90 ? "…" : "");
    var start = Math.max(0, at - 40), end = Math.min(body.length, at + len + 50);
    return (start > 0 ? "…" : "") + escapeHtml(body.slice(start, at)) +
      "<mark>" + escapeHtml(body.slice(at, at + len)) + "</mark>" +
      escapeHtml(body.slice(at + len, end)) + (end < body.length ? "…" : "");
  }

  function render(results, page, shownParts) {
    list.innerHTML = "";
    pager.innerHTML = "";
    var slice = results.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      items.forEach(function (data) {
        var meta = data.meta;
        var li = document.createElement("li");
        var href = app.getAttribute("data-root") + data.url.replace(/^\//, "");
        var title = hant ? meta.title_hant : meta.title;
        var body = toHant(meta.text);
        li.innerHTML = '<h2 class="result-title"><a href="' + escapeHtml(href) + '">' +
          excerptTitle(title, shownParts) + "</a></h2>" +
          '<p class="result-meta">' + escapeHtml(hant ? meta.column_hant : meta.column) +
          '　<time datetime="' + escapeHtml(meta.date) + '">' + escapeHtml(meta.date) +
          "</time></p>" + '<p class="result-excerpt">' + excerpt(body, shownParts) + "</p>";
        list.appendChild(li);
      });
      var pages = Math.ceil(results.length / PAGE_SIZE);
      if (pages > 1) {
        var ul = document.createElement("ul");
        for (var p = 1; p <= pages; p++) {
          if (p !== 1 && p !== pages && Math.abs(p - page) > 2) continue;
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = String(p);
          if (p === page) button.setAttribute("aria-current", "page");
          button.addEventListener("click", (function (target) {
            return function () { render(results, target, shownParts); list.focus(); };
          })(p));
          item.appendChild(button);
          ul.appendChild(item);
        }
        pager.appendChild(ul);
      }
    });
  }

  function excerptTitle(title, parts) {
    for (var i = 0; i < parts.length; i++) {
      var at = find(title, parts[i]);
      if (at >= 0) {
        return escapeHtml(title.slice(0, at)) + "<mark>" +
          escapeHtml(title.slice(at, at + parts[i].length)) + "</mark>" +
          escapeHtml(title.slice(at + parts[i].length));
      }
    }
    return escapeHtml(title);
  }

  function run(params) {
    var query = (params.get("q") || "").trim();
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    var shownParts = query.split(RUN_BREAK).filter(function (p) { return p; });
    status.textContent = text.searching;
    return toSimplified(query).then(function (simplified) {
      var parts = phrases(simplified);
      if (!parts.length) { status.textContent = text.empty; return; }
      /* import() in a classic script resolves against the script's own URL: resolve first */
      var bundle = new URL(app.getAttribute("data-bundle"), document.baseURI).href;
      return import(bundle).then(function (pagefind) {
        /* no worker: searching on the page saves downloading pagefind-worker.js (41 KB), and
           a search of this index takes milliseconds. Only read before the first search. */
        return pagefind.options({ noWorker: true }).then(function () {
          /* the older half of the items is a bundle of its own (half the memory to build),
             merged in: it shares the wasm. Pagefind orders merged results by score; sorted by
             date, a page scores its rank in its bundle, and every item of this bundle ranks
             at least 1 (see _write_bottom in search_index.py). Weighted 1e-6, the older
             bundle's scores stay below 1 and in their order: newest first throughout. */
          var older = app.getAttribute("data-older");
          if (!older) return pagefind;
          var folder = new URL(".", new URL(older, document.baseURI)).href;
          return pagefind.mergeIndex(folder, { indexWeight: 1e-6 }).then(function () {
            return pagefind;
          });
        });
      }).then(function (pagefind) {
        /* a selected filter is a word of the index (see filter_token): one more part */
        ["column", "year", "kind", "validity"].forEach(function (name) {
          var token = params.get(name);
          if (token && /^qzf[0-9a-f]+$/.test(token)) parts.push('"' + token + '"');
        });
        var sort = params.get("sort") === "relevance" ? undefined : { date: "desc" };
        return Promise.all(parts.map(function (phrase) {
          return pagefind.search(phrase, { sort: sort });
        })).then(function (searches) {
          var keep = searches.slice(1).map(function (s) {
            return new Set(s.results.map(function (r) { return r.id; }));
          });
          var results = searches[0].results.filter(function (r) {
            return keep.every(function (ids) { return ids.has(r.id); });
          });
          status.textContent = results.length ?
            text.found.replace("{n}", String(results.length)) : text.none;
          return render(results, 1, shownParts);
        });
      });
    }).catch(function () { status.textContent = text.failed; });
  }

  var params = new URLSearchParams(window.location.search);
  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.name && params.has(field.name)) field.value = params.get(field.name);
  });
  window.gxgkSearchDone = run(params).then(function () { return true; });
})();
