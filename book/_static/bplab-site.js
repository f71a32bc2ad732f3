// bplab site helpers, loaded on every page before the widget manager.
(function () {
  "use strict";
  // The theme draws its icons with Font Awesome's JavaScript, which by default *replaces*
  // every <i class="fa ..."> with an <svg>. The widget manager's Play button keeps a handle on
  // its <i> icon and fails when that is swapped ("Cannot set properties of undefined"), which
  // stops the explorer's controls. "nest" draws the <svg> inside the <i> instead. This script
  // runs before fontawesome.js, which the theme loads with defer.
  window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {},
                                           {autoReplaceSvg: "nest"});
  // ipywidgets typesets labels with the MathJax 2 call MathJax.Hub.Queue(["Typeset", ...]);
  // the site runs MathJax 3, which has no Hub. Translate the call.
  function shimMathJax2() {
    var mj = window.MathJax;
    if (!mj || mj.Hub) { return; }
    mj.Hub = {
      Queue: function (job) {
        var node = job && job[2];
        if (window.MathJax.typesetPromise) {
          window.MathJax.typesetPromise(node ? [node] : undefined).catch(function () {});
        }
      }
    };
  }
  document.addEventListener("DOMContentLoaded", shimMathJax2);
  window.addEventListener("load", shimMathJax2);

  // -- tables: on phones a table of 3+ columns is drawn as one card per row (bplab-site.css);
  // each cell carries its column's name. The ARIA roles keep it a table for screen readers
  // (display: block would otherwise drop the table semantics in some browsers).
  var CARD_COLUMNS = 3;
  function labelTables() {
    document.querySelectorAll("article table").forEach(function (table) {
      if (table.closest(".bplab-explorer") || !table.tHead || !table.tBodies.length) { return; }
      var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
        return th.textContent.trim();
      });
      if (heads.length < CARD_COLUMNS) { return; }
      table.classList.add("bplab-cards");
      table.setAttribute("role", "table");
      table.tHead.setAttribute("role", "rowgroup");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        th.setAttribute("role", "columnheader");
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        body.setAttribute("role", "rowgroup");
        Array.prototype.forEach.call(body.rows, function (row) {
          row.setAttribute("role", "row");
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            cell.setAttribute("role", "cell");
            if (heads[i]) { cell.setAttribute("data-label", heads[i]); }
          });
        });
      });
      table.tHead.rows[0].setAttribute("role", "row");
    });
  }
  document.addEventListener("DOMContentLoaded", labelTables);

  // -- accessible names the theme gets wrong (axe-core: label-content-name-mismatch,
  // summary-name). A control's name must contain its visible text, and every <summary>
  // needs one.
  function fixAccessibleNames() {
    // the search field says "Search Ctrl+K" but is named "Search": let its text name it
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (b) {
      if (b.textContent.trim()) { b.removeAttribute("aria-label"); }
    });
    // the colour-mode button is named "Color mode"; its icons' titles (Light, Dark, ...) are
    // decoration, not text to read
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (i) {
      i.setAttribute("aria-hidden", "true");
      i.removeAttribute("title");
      i.querySelectorAll("svg > title").forEach(function (t) { t.remove(); });
      i.querySelectorAll("svg[aria-labelledby]").forEach(function (svg) {
        svg.removeAttribute("aria-labelledby");
      });
    });
    // myst-nb's "Show code cell source" toggles are named "Toggle hidden content"
    document.querySelectorAll("article summary[aria-label]").forEach(function (s) {
      if (s.textContent.trim()) { s.removeAttribute("aria-label"); }
    });
    // docutils' bibliography is a role="list" whose children are not list items
    document.querySelectorAll(".citation-list[role=list]").forEach(function (l) {
      if (!l.querySelector(":scope > [role=listitem]")) { l.removeAttribute("role"); }
    });
    // the navigation's expand arrows are summaries with only an icon
    document.querySelectorAll("nav details > summary").forEach(function (s) {
      if (s.textContent.trim() || s.getAttribute("aria-label")) { return; }
      var li = s.closest("li");
      var link = li && li.querySelector(":scope > a");
      s.setAttribute("aria-label", "Sections of " +
                     (link ? link.textContent.trim() : "this chapter"));
    });
  }
  document.addEventListener("DOMContentLoaded", fixAccessibleNames);
  window.addEventListener("load", fixAccessibleNames);

  // -- the explorers' widgets render after the page (the widget manager builds them), and
  // two of their controls come without a name: the Play widget's icon-only buttons and the
  // slider's handle (role=slider). Name them from their icon and from the slider's label.
  var PLAY_NAMES = {"fa-play": "Play the animation", "fa-pause": "Pause the animation",
                    "fa-stop": "Stop the animation and go back to the start",
                    "fa-retweet": "Repeat the animation", "fa-repeat": "Repeat the animation"};
  function nameWidgetControls(root) {
    (root || document).querySelectorAll(".widget-play button").forEach(function (b) {
      if (b.getAttribute("aria-label") || b.textContent.trim()) { return; }
      var icon = b.querySelector("i");
      var name = null;
      if (icon) {
        Object.keys(PLAY_NAMES).forEach(function (cls) {
          if (icon.classList.contains(cls)) { name = PLAY_NAMES[cls]; }
        });
      }
      b.setAttribute("aria-label", name || "Animation control");
      if (!b.title) { b.title = b.getAttribute("aria-label"); }
    });
    (root || document).querySelectorAll(".widget-slider .noUi-handle, " +
                                        ".widget-hslider .noUi-handle").forEach(function (h) {
      if (h.getAttribute("aria-label") || h.getAttribute("aria-labelledby")) { return; }
      var box = h.closest(".widget-slider, .widget-hslider");
      var label = box && box.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      h.setAttribute("aria-label", text || "Slider");
    });
  }
  var namePending = false;
  function nameSoon() {
    if (namePending) { return; }
    namePending = true;
    window.requestAnimationFrame(function () { namePending = false; nameWidgetControls(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameWidgetControls();
    if (window.MutationObserver && document.querySelector(".jupyter-widgets, " +
        "script[type='application/vnd.jupyter.widget-view+json']")) {
      new MutationObserver(nameSoon).observe(document.body, {childList: true, subtree: true});
    }
  });

  // -- equations: one too wide for its column is scaled down, to MIN_SCALE at most; one
  // still too wide then scrolls (class bplab-eq-scroll on the scrolling box draws a shadow at
  // the edge that has more, and the box takes the keyboard focus so it can be scrolled
  // without a mouse). The scrolling box is the mjx-container of a display equation, and the
  // theme's span.math around an inline one. A display equation's number wraps under it by
  // CSS (flex-wrap), never over it. data-bplab-scale on the mjx-container records the scale;
  // data-bplab-fit on <html> the window width the equations were last fitted to (the browser
  // tests wait for it).
  var MIN_SCALE = 0.7;
  function fitEquation(box) {
    var math = box.querySelector("mjx-math");
    if (!math) { return; }
    var display = box.getAttribute("display") === "true";
    var holder = box.parentElement && box.parentElement.classList.contains("math")
      ? box.parentElement : null;
    var scroller = display || !holder ? box : holder;
    math.style.fontSize = "";
    scroller.style.overflow = "";
    scroller.classList.remove("bplab-eq-scroll");
    scroller.removeAttribute("tabindex");
    // the width it may take: its div.math's for a display equation, the paragraph's for an
    // inline one
    var room = display ? (holder || box) : (holder || box).parentElement;
    var avail = room ? room.clientWidth : 0;
    if (room && !display) {
      var cs = window.getComputedStyle(room);
      avail -= parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    }
    var natural = math.getBoundingClientRect().width;
    var scale = 1;
    if (avail > 0 && natural > avail + 1) {   // (a cell sized to its formula: equal, give or take)
      scale = Math.max(MIN_SCALE, Math.floor(1000 * (avail - 2) / natural) / 1000);
      math.style.fontSize = (100 * scale).toFixed(1) + "%";
    }
    box.setAttribute("data-bplab-scale", String(scale));
    if (scroller.scrollWidth > scroller.clientWidth + 1) {
      if (scale === 1 && avail > 0 && natural <= avail + 1) {
        // the formula fits; only an accent (a bar over p) overhangs its own box by a pixel
        // or two: let it show rather than turn the formula into a scroll box
        scroller.style.overflow = "visible";   // both axes: visible next to hidden is auto
      } else {
        scroller.classList.add("bplab-eq-scroll");
        scroller.setAttribute("tabindex", "0");
      }
    }
  }
  function fitEquations() {
    document.querySelectorAll("article mjx-container").forEach(function (box) {
      if (!box.closest(".bplab-explorer")) { fitEquation(box); }
    });
    document.documentElement.setAttribute("data-bplab-fit", String(window.innerWidth));
  }
  var pending = false;
  function fitSoon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fitEquations(); });
  }
  function fitWhenTypeset() {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {
      mj.startup.promise.then(fitEquations);
    } else {
      fitEquations();
    }
  }
  window.addEventListener("load", fitWhenTypeset);
  window.addEventListener("resize", fitSoon);

  // -- search: result summaries are cut from the pages' HTML, where inline maths is still
  // its TeX source, \( ... \). Show it as readable text instead (e.g. \(\sigma(z)\) as σ(z)).
  var TEX = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", Delta: "Δ", epsilon: "ε",
    varepsilon: "ε", eta: "η", theta: "θ", lambda: "λ", mu: "μ", pi: "π", rho: "ρ",
    sigma: "σ", Sigma: "Σ", tau: "τ", phi: "φ", varphi: "φ", psi: "ψ", omega: "ω",
    partial: "∂", nabla: "∇", cdot: "·", cdots: "⋯", ldots: "…", dots: "…", times: "×",
    odot: "⊙", top: "ᵀ", sum: "∑", prod: "∏", infty: "∞", leq: "≤", le: "≤", geq: "≥",
    ge: "≥", neq: "≠", ne: "≠", approx: "≈", to: "→", rightarrow: "→", leftarrow: "←",
    gets: "←", in: "∈", mathbb: "", mathbf: "", mathrm: "", text: "", operatorname: "",
    boldsymbol: "", left: "", right: "", quad: " ", qquad: " ", log: "log", exp: "exp",
    max: "max", min: "min", tanh: "tanh", sin: "sin", cos: "cos", mid: "|", lVert: "‖",
    rVert: "‖", Vert: "‖", circ: "∘", pm: "±", sqrt: "√", hat: "", tilde: "", bar: ""
  };
  function texToText(tex) {
    return tex
      .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\[dt]?frac\s*(\w)\s*(\w)/g, "$1/$2")
      .replace(/\\([A-Za-z]+)/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(TEX, name) ? TEX[name] : name;
      })
      .replace(/\\[,;:! ]/g, " ")
      .replace(/\\([{}_^$%&#|])/g, "$1")
      .replace(/\^\{?ᵀ\}?/g, "ᵀ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }
  window.bplabTexToText = texToText;   // used by the browser tests
  function readableMaths(htmlString) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".math .eqno, .math .headerlink").forEach(function (el) {
      el.remove();
    });
    doc.querySelectorAll(".math").forEach(function (el) {
      var tex = el.textContent.trim()
        .replace(/^\\\(|\\\)$/g, "").replace(/^\\\[|\\\]$/g, "")
        .replace(/^\$\$?|\$\$?$/g, "");
      el.textContent = " " + texToText(tex) + " ";
    });
    return "<!DOCTYPE html>" + doc.documentElement.outerHTML;
  }
  function patchSearch() {
    // searchtools.js declares `const Search` (a global binding, not a property of window)
    if (typeof Search === "undefined" || !Search.htmlToText || Search.bplabPatched) { return; }
    var original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      return original(readableMaths(htmlString), anchor);
    };
    Search.bplabPatched = true;
  }
  document.addEventListener("DOMContentLoaded", patchSearch);
})();
