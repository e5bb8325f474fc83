/* Confidence check (coursepack/elements/confidence): rate each statement, before and after. */
CommonGround.kinds.register("confidence", { role: "tracked", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, all = CG.all, one = CG.one, announce = CG.announce, notSaved = CG.notSaved;
  var form = one(el, "form"), region = one(el, ".cg-feedback"), sets = all(el, ".cg-rating");

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
    }, notSaved(region, ctx));
  });
  if (ctx.state && ctx.state.ratings) {
    restore(ctx.state.ratings);
    showChange(ctx.state.before, ctx.state.ratings);
  }
  return {};
} });
