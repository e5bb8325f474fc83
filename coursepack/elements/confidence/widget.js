/* Confidence check (coursepack/elements/confidence): rate each statement, before and after.
 * A host that reports the ratings (ctx.report: a SCORM package in an LMS) is named plainly, with
 * the choice to keep them on this device; elsewhere (Open edX, the preview) only the learner
 * sees their own ratings. */
CommonGround.kinds.register("confidence", { role: "tracked", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, all = CG.all, one = CG.one, announce = CG.announce, notSaved = CG.notSaved;
  var form = one(el, "form"), region = one(el, ".cg-feedback"), sets = all(el, ".cg-rating");
  var onDevice = ctx.report ? reportChoice() : null;

  /** Who sees the ratings, and the box to keep them on this device, before the Save button. */
  function reportChoice() {
    one(el, ".cg-privacy").textContent = ctx.t("Your ratings go to your learning system with your name. Its staff, such as your trainer, can see them. Reports made from them only show groups of 5 or more people.");
    var label = document.createElement("label");
    label.className = "cg-keep";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = el.id + "-keep";
    box.checked = !!ctx.report.onDevice;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + ctx.t("Keep my ratings on this device (they are not sent)")));
    var row = one(form, ".cg-actions");
    row.parentNode.insertBefore(label, row);
    return box;
  }

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
    var payload = { ratings: r }, mine = onDevice && onDevice.checked;
    if (onDevice) { payload.onDevice = mine; }
    ctx.save(payload).then(function (reply) {
      announce(region, mine ? ctx.t("Your ratings are saved on this device only.") : ctx.t("Your ratings are saved."));
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
