// Loaded between require.js and the widget manager (embed-amd.js), on pages with widgets,
// whether the site serves its own copy of the manager (_static/vendor/html-manager/) or,
// built without npm, a CDN does.
// The manager's bundled modules compute where their icon fonts live from their require.js
// module address, which by default is relative to the page's folder. Map those module names
// into the vendored folder, so the fonts load from the site's own copy.
(function () {
  "use strict";
  // data-base: the manager's folder when it comes from a CDN (the build had no node_modules)
  var script = document.currentScript;
  var base = script.getAttribute("data-base") ||
             new URL("vendor/html-manager/", script.src).href;
  window.__jupyter_widgets_assets_path__ = base;
  window.require.config({
    paths: {
      // the module names embed-amd.js defines (grep 'define("' in it)
      "@jupyter-widgets/html-manager/dist/libembed-amd": base + "libembed-amd",
      "@jupyter-widgets/html-manager": base + "html-manager",
      "@jupyter-widgets/base": base + "base",
      "@jupyter-widgets/base7": base + "base7",
      "@jupyter-widgets/controls": base + "controls",
      "@jupyter-widgets/controls7": base + "controls7"
    }
  });
})();
