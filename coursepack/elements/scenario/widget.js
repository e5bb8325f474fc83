/* Branching scenario (coursepack/elements/scenario): one step at a time. A choice's feedback is shown once, under the choice;
 * "Continue" takes focus and is described by it, so a screen reader reads it once too. An
 * ending shows the path taken (each step and the choice made there). */
CommonGround.kinds.register("scenario", { role: "tracked", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, all = CG.all, one = CG.one;
  var steps = all(el, ".cg-step");
  var cont = one(el, "[data-cg-action=continue]");
  var state = { path: [], ended: false };
  var pending = null;

  function stepEl(id) {
    return steps.filter(function (s) { return s.getAttribute("data-cg-step") === id; })[0];
  }
  function choiceEl(choiceId) { return one(el, '[data-cg-choice="' + choiceId + '"]'); }
  function currentId() {
    var id = el.getAttribute("data-cg-start");
    state.path.forEach(function (choiceId) {
      var button = choiceEl(choiceId);
      if (button) { id = button.getAttribute("data-cg-target"); }
    });
    return id;
  }
  function showPath(step) {
    var list = one(step, ".cg-path ol");
    if (!list) { return; }
    list.textContent = "";
    state.path.forEach(function (choiceId) {
      var button = choiceEl(choiceId);
      if (!button) { return; }
      var li = document.createElement("li");
      var from = document.createElement("strong");
      from.textContent = one(button.closest(".cg-step"), "h4").textContent.trim() + ": ";
      li.appendChild(from);
      li.appendChild(document.createTextNode(button.textContent.trim()));
      list.appendChild(li);
    });
  }
  function render(focus) {
    var id = currentId();
    steps.forEach(function (s) { s.hidden = s.getAttribute("data-cg-step") !== id; });
    all(el, ".cg-choice-feedback").forEach(function (f) { f.hidden = true; });
    all(el, ".cg-choice").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-pressed"); });
    cont.hidden = true;
    cont.removeAttribute("aria-describedby");
    pending = null;
    var step = stepEl(id);
    if (focus && step) { one(step, "h4").focus(); }
    if (step && step.getAttribute("data-cg-ending")) {
      showPath(step);
      if (!state.ended) {
        state.ended = true;
        ctx.save({ path: state.path.slice(), ended: true });
        ctx.emit("scenario-ended", { id: el.getAttribute("data-cg-id"), ending: id });
      }
    }
  }
  all(el, ".cg-choice").forEach(function (button) {
    button.addEventListener("click", function () {
      var step = button.closest(".cg-step");
      all(step, ".cg-choice").forEach(function (b) { b.disabled = b !== button; });
      button.setAttribute("aria-pressed", "true");
      var fb = one(step, '[data-cg-feedback="' + button.getAttribute("data-cg-choice") + '"]');
      fb.hidden = false;
      pending = button.getAttribute("data-cg-choice");
      cont.setAttribute("aria-describedby", fb.id);
      cont.hidden = false;
      cont.focus();
    });
  });
  cont.addEventListener("click", function () {
    if (!pending) { return; }
    state.path.push(pending);
    ctx.save({ path: state.path.slice(), ended: false });
    render(true);
  });
  all(el, "[data-cg-action=restart]").forEach(function (b) {
    b.addEventListener("click", function () {
      state = { path: [], ended: false };
      ctx.save({ path: [], ended: false });
      render(true);
    });
  });
  if (ctx.state && ctx.state.path) { state = { path: ctx.state.path.slice(), ended: !!ctx.state.ended }; }
  render(false);
  return {};
} });
