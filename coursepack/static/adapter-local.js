/* Standalone adapter: the preview site. Progress lives in this browser only (the shell keeps
 * it in localStorage); nothing is sent anywhere. Every module of the site keeps its own there,
 * so one module can see when the others were complete (wholePack). */
(function (global) {
  "use strict";
  global.CommonGround.startShell({
    canExit: false,
    optIn: false,
    wholePack: true,
    start: function () { return { suspend: null, location: null, note: "Running on its own: progress is saved in this browser only." }; },
    save: function () { return true; },
    answer: function () {},
    commit: function () { return true; },
    exit: function () {}
  });
})(window);
