/* Knowledge check (coursepack/elements/question): the learner chooses one or more options and
 * the host judges them. */
CommonGround.kinds.register("question", { role: "graded", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, all = CG.all, one = CG.one, announce = CG.announce, setHtml = CG.setHtml, graded = CG.graded;
  var region = one(el, ".cg-feedback");
  var inputs = all(el, "input");
  var maxAttempts = parseInt(el.getAttribute("data-cg-attempts"), 10) || 0;

  function selected() {
    return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }

  /* The options the learner should see marked right: the ones they chose that are right;
   * after a wrong multiple-answer attempt also the right ones they missed; once the last
   * attempt is used, the whole right answer. ``answerIds`` is the right answer when the host
   * gives it out (the shell always; an XBlock may keep it back). */
  function marks(result, locked) {
    var answer = result.answerIds || null;
    var reveal = answer && !result.correct && (locked || el.getAttribute("data-cg-type") === "multiple");
    return { right: reveal ? answer : (result.correctIds || []), missed: reveal, final: answer && locked && !result.correct };
  }

  function show(result, selection, quiet) {
    var locked = result.correct || result.attemptsLeft === 0;
    var m = marks(result, locked);
    var answerTexts = [];
    inputs.forEach(function (input) {
      input.checked = selection.indexOf(input.value) >= 0;
      var li = input.closest(".cg-option");
      var fb = one(li, ".cg-option-feedback");
      var note = one(li, ".cg-option-note");
      var chosen = input.checked;
      var right = m.right.indexOf(input.value) >= 0;
      var missed = !chosen && right && m.missed;
      li.classList.toggle("cg-chosen", chosen);
      li.classList.toggle("cg-right", chosen && right);
      li.classList.toggle("cg-wrong", chosen && !right);
      li.classList.toggle("cg-missed", missed);
      if (note) { note.textContent = missed ? ctx.t("You did not choose this one, but it is right.") : ""; note.hidden = !missed; }
      if (right && m.final) { answerTexts.push(one(li, "label").textContent.trim()); }
      var html = (chosen || missed) && result.feedback ? result.feedback[input.value] : "";
      fb.hidden = !html;
      setHtml(fb, html || "");
    });
    graded.verdict(el, ctx, result, quiet, answerTexts);
    inputs.forEach(function (i) { i.disabled = locked; });
  }

  graded.onSubmit(el, ctx, function () {
    var choice = selected();
    if (!choice.length) { announce(region, ctx.t("Choose an answer first.")); }
    return choice.length ? choice : null;
  }, show);

  if (ctx.state && ctx.state.result) { show(ctx.state.result, ctx.state.selected || [], true); }
  return { maxAttempts: maxAttempts };
} });
