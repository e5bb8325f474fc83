/* "Agree or disagree" (tests/kinds/agree_kind): one choice of two, judged by the host. */
CommonGround.kinds.register("agree", { role: "graded", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround;
  var inputs = CG.all(el, "input");
  function show(result, selection, quiet) {
    inputs.forEach(function (i) { i.checked = selection.indexOf(i.value) >= 0; });
    var locked = CG.graded.verdict(el, ctx, result, quiet);
    inputs.forEach(function (i) { i.disabled = locked; });
  }
  CG.graded.onSubmit(el, ctx, function () {
    var chosen = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    return chosen.length ? chosen : null;
  }, show);
  if (ctx.state && ctx.state.result) { show(ctx.state.result, ctx.state.selected || [], true); }
  return {};
} });
