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
})();
