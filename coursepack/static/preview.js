/* commonground preview only (the preview server adds it to pages as it serves them; no build
 * contains it). Asks the server, which runs on 127.0.0.1, for the outcome of each rebuild:
 * a good build reloads the page (the player keeps the learner's page; the scroll position is
 * kept here), a broken one shows the problems over the last good build until they are fixed.
 * Every text from the server goes in with textContent: an author's text is never markup here. */
(function (global) {
  "use strict";

  var SCROLL_KEY = "commonground-preview-scroll:" + global.location.pathname;
  var loadedBuild = null;
  var panel = null;

  function restoreScroll() {
    var y = null;
    try { y = global.sessionStorage.getItem(SCROLL_KEY); global.sessionStorage.removeItem(SCROLL_KEY); } catch (e) { /* storage blocked */ }
    if (y !== null) { global.setTimeout(function () { global.scrollTo(0, parseInt(y, 10) || 0); }, 50); }
  }

  function reload() {
    try { global.sessionStorage.setItem(SCROLL_KEY, String(global.scrollY)); } catch (e) { /* storage blocked */ }
    global.location.reload();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function showErrors(errors) {
    if (!panel) {
      panel = el("section", "cg-preview-errors");
      panel.setAttribute("role", "alert");
      panel.setAttribute("aria-labelledby", "cg-preview-errors-h");
      document.body.insertBefore(panel, document.body.firstChild);
    }
    panel.textContent = "";
    var h = el("h2", "", errors.length === 1 ? "The last save has 1 problem." : "The last save has " + errors.length + " problems.");
    h.id = "cg-preview-errors-h";
    panel.appendChild(h);
    panel.appendChild(el("p", "", "This page shows the last good version until they are fixed. Fix them top to bottom and save."));
    var list = el("ol");
    errors.forEach(function (d) {
      var li = el("li");
      li.appendChild(el("code", "cg-preview-where", d.file + ":" + d.line));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "cg-preview-message", d.message));
      if (d.hint) { li.appendChild(el("span", "cg-preview-hint", " (" + d.hint + ")")); }
      li.appendChild(el("span", "cg-preview-code", " [" + d.code + "]"));
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  function hideErrors() {
    if (panel) { panel.remove(); panel = null; }
  }

  function poll(since) {
    global.fetch("/_preview/events?since=" + since, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (state) {
      if (loadedBuild === null) { loadedBuild = state.build; }
      if (state.errors.length) { showErrors(state.errors); }
      else if (state.build !== loadedBuild) { reload(); return; }
      else { hideErrors(); }
      poll(state.version);
    }, function () {
      // The preview was stopped or restarted: try again shortly.
      global.setTimeout(function () { poll(-1); }, 2000);
    });
  }

  restoreScroll();
  poll(-1);
})(window);
