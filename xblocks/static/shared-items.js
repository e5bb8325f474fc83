/* Common Ground in Open edX: the shared side of a learning review or joint feedback.
 *
 * The form is the player's "share" widget; this file gives it a host that sends it (POST share)
 * and drives the views the server renders (its own items, the library, counts, moderation):
 * every view is HTML escaped on the server and swapped in whole; buttons carry
 * data-cg-action and data-cg-item. "Edit and send again" fills the form with the item.
 * Actions are announced in the views' live region. No inline script, no eval.
 */
(function (global) {
  "use strict";

  function host(ctx, x) {
    var root = x.root, t = ctx.t, widget = null;
    function views() { return root.querySelector(".cg-share-views"); }
    function swap(html) {
      var old = views();
      var box = global.document.createElement("div");
      global.CommonGround.setHtml(box, html || "");
      var fresh = box.querySelector(".cg-share-views");
      if (old && fresh) { old.replaceWith(fresh); }
    }
    function say(text) {
      var region = views() && views().querySelector(".cg-share-status-line");
      if (!region) { return; }
      region.textContent = "";
      global.setTimeout(function () { region.textContent = text; }, 30);
    }
    var sent = 0;
    ctx.share = function (payload) {
      // one key per sending, so a retry of it is the same item
      payload.token = payload.item ? "" : Date.now().toString(36) + "-" + (sent += 1) + "-" +
        Math.floor(Math.random() * 1e9).toString(36);
      return x.post(x.url("share"), payload).then(function (reply) { swap(reply.html); return reply; });
    };
    ctx.mounted = function (w) { widget = w; };
    root.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".cg-share-views [data-cg-action]");
      if (!button) { return; }
      var action = button.getAttribute("data-cg-action");
      var item = parseInt(button.getAttribute("data-cg-item"), 10);
      var article = button.closest(".cg-share-item");
      var area = button.previousElementSibling && button.previousElementSibling.tagName === "TEXTAREA"
        ? button.previousElementSibling : null;
      if (action === "edit") {
        if (widget) {
          widget.fill(JSON.parse(button.getAttribute("data-cg-values") || "{}"), item);
          var first = root.querySelector(".cg-share-form textarea, .cg-share-form input");
          if (first) { first.focus(); }
        }
        return;
      }
      var call = action === "take-back"
        ? x.post(x.url("take_back_save"), { item: item, text: area ? area.value : "" })
        : x.post(x.url("moderate"), area ? { item: item, action: action, text: area.value } : { item: item, action: action });
      button.disabled = true;
      call.then(function (reply) {
        if (reply.html) { swap(reply.html); }
        else { button.disabled = false; }
        say(t("Saved."));
        var heading = article && views() && views().querySelector("h3");
        if (reply.html && heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      }, function (error) {
        button.disabled = false;
        say(t("Not saved: {reason}", { reason: error && error.message || String(error) }));
      });
    });
  }

  var hosts = global.CommonGroundXBlockHosts = global.CommonGroundXBlockHosts || {};
  hosts.learning_review = host;
  hosts.joint_feedback = host;
})(window);
