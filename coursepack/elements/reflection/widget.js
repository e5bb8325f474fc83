/* Reflection (coursepack/elements/reflection): the learner's own text, saved by the host. */
CommonGround.kinds.register("reflection", { role: "private", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, one = CG.one, announce = CG.announce, notSaved = CG.notSaved;
  var area = one(el, "textarea");
  var count = one(el, ".cg-count");
  var region = one(el, ".cg-feedback");
  var max = parseInt(el.getAttribute("data-cg-max"), 10) || 2000;
  var lastSaved = null;

  function updateCount() {
    count.textContent = ctx.t("{used} of {max} characters", { used: area.value.length, max: max });
  }
  function save(quiet) {
    if (area.value === lastSaved) { if (!quiet) { announce(region, ctx.t("Saved.")); } return; }
    var text = area.value.slice(0, max);
    ctx.save({ text: text }).then(function () {
      lastSaved = text;
      if (!quiet) { announce(region, ctx.t("Saved.")); }
      ctx.emit("reflected", { id: el.getAttribute("data-cg-id") });
    }, notSaved(region, ctx));
  }
  if (ctx.state && typeof ctx.state.text === "string") { area.value = ctx.state.text; lastSaved = area.value; }
  updateCount();
  area.addEventListener("input", function () { updateCount(); if (ctx.draft) { ctx.draft(area.value); } });
  area.addEventListener("change", function () { save(true); });
  one(el, "[data-cg-action=save]").addEventListener("click", function () { save(false); });
  one(el, "[data-cg-action=download]").addEventListener("click", function () { ctx.download(); });
  return {};
} });
