/* Common Ground in Open edX: one block hosts one widget of the shared player (widgets.js; the
 * module shell, shell.js, is never loaded here). It names no kind: the block's JSON init
 * arguments (texts translated on the server, the learner's state, what the block does) say what
 * the widget's host context holds, each part one of the block's JSON handlers:
 *   graded:   submit(payload) -> POST submit -> the verdict, and where the learner stands in the
 *             module (shown under the widget)
 *   others:   save(payload) -> POST save_state -> what the kind's widget expects back
 *   download: download() -> GET download (one text file)
 *   record:   record() -> POST learning_record -> the learner's own record of learning
 *   a kind with more of its own adds it through CommonGroundXBlockHosts (shared-items.js).
 * Blocks that complete on view tell the server once the learner has seen them. No inline
 * script, no eval, no framework.
 */
(function (global) {
  "use strict";

  function cookie(name) {
    var found = null;
    (global.document.cookie || "").split(";").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0 && part.slice(0, eq).trim() === name) { found = decodeURIComponent(part.slice(eq + 1).trim()); }
    });
    return found;
  }

  function post(url, payload) {
    return global.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") || "",
                 "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify(payload || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error((body && body.error) || String(response.status)); }
        return body;
      });
    });
  }

  /* Run fn once the element has been on screen or had the focus (at once where
   * IntersectionObserver is missing). */
  function whenSeen(el, fn) {
    var done = false, observer = null;
    function once() {
      if (done) { return; }
      done = true;
      if (observer) { observer.disconnect(); }
      el.removeEventListener("focusin", once);
      fn();
    }
    if (!("IntersectionObserver" in global)) { once(); return; }
    observer = new global.IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { once(); }
    });
    observer.observe(el);
    el.addEventListener("focusin", once);
  }

  global.CommonGroundXBlock = function (runtime, element, args) {
    var root = element && element.jquery ? element[0] : element;
    var CG = global.CommonGround;
    args = args || {};
    var url = function (name) { return runtime.handlerUrl(root, name); };
    var emit = function (name, detail) {
      var event;
      try { event = new global.CustomEvent("commonground:" + name, { bubbles: true, detail: detail || {} }); }
      catch (e) { return; }
      root.dispatchEvent(event);
    };
    if (args.completeOnView && args.ok && !args.completed) {
      whenSeen(root, function () {
        post(url("viewed"), {}).then(function () { emit("completed", { kind: args.kind }); }, function () {});
      });
    }
    var widget = root.querySelector(".cg-widget");
    if (!widget || !args.ok) { return {}; }
    var ctx = { t: CG.translator(args.strings), emit: emit, state: args.state || null, facts: args.facts || {} };
    if (args.record) {
      // the learner's own record (a content page with a record of learning): POST learning_record
      ctx.record = function () { return post(url("learning_record"), {}); };
    }
    if (args.graded) {
      var standing = root.querySelector(".cg-module-result");
      ctx.submit = function (payload) {
        return post(url("submit"), payload).then(function (result) {
          if (standing && result.module && result.module.text) { standing.textContent = result.module.text; }
          return result;
        });
      };
    } else {
      ctx.save = function (payload) {
        var sent = post(url("save_state"), payload);
        sent.catch(function () {});  // widgets that do not wait for the answer must not leave it unhandled
        return sent;
      };
    }
    if (args.download) {
      ctx.download = function () {
        var link = global.document.createElement("a");
        link.href = url("download");
        link.setAttribute("download", "");
        link.hidden = true;
        root.appendChild(link);
        link.click();
        link.remove();
      };
    }
    // Kinds with more of their own (the moderated learning reviews and joint feedback) add to the
    // host context first and get the mounted widget after (static/shared-items.js).
    var extend = (global.CommonGroundXBlockHosts || {})[args.kind];
    if (extend) { extend(ctx, { root: root, post: post, url: url, args: args }); }
    var mounted = CG.mountWidget(widget, ctx);
    if (extend && ctx.mounted) { ctx.mounted(mounted); }
    return {};
  };
})(window);
