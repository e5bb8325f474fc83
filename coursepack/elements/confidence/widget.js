/* Confidence check (coursepack/elements/confidence): rate each statement, before and after. */
(function (CG) {
  "use strict";
  var all = CG.all, one = CG.one, announce = CG.announce;

  function mount(el, ctx) {
    var form = one(el, "form");
    var region = one(el, ".cg-feedback");
    var sets = all(el, ".cg-rating");

    function ratings() {
      var out = {};
      sets.forEach(function (fs) {
        var checked = one(fs, "input:checked");
        if (checked) { out[fs.getAttribute("data-cg-statement")] = parseInt(checked.value, 10); }
      });
      return out;
    }
    function showChange(before, now) {
      sets.forEach(function (fs) {
        var id = fs.getAttribute("data-cg-statement");
        var note = one(fs, ".cg-change");
        if (before && before[id] && now[id]) {
          note.textContent = ctx.t("Before: {before}. Now: {after}.", { before: before[id], after: now[id] });
          note.hidden = false;
        }
      });
    }
    function restore(r) {
      sets.forEach(function (fs) {
        var v = r[fs.getAttribute("data-cg-statement")];
        all(fs, "input").forEach(function (i) { i.checked = parseInt(i.value, 10) === v; });
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var r = ratings();
      if (Object.keys(r).length < sets.length) { announce(region, ctx.t("Rate every statement first.")); return; }
      ctx.save({ ratings: r }).then(function (reply) {
        announce(region, ctx.t("Your ratings are saved."));
        showChange(reply && reply.before, r);
        ctx.emit("rated", { id: el.getAttribute("data-cg-id") });
      }, CG.notSaved(region, ctx));
    });
    if (ctx.state && ctx.state.ratings) {
      restore(ctx.state.ratings);
      showChange(ctx.state.before, ctx.state.ratings);
    }
    return {};
  }

  CG.kinds.register("confidence", { role: "tracked", mount: mount });
})(window.CommonGround);
