/* Put in order (coursepack/elements/order): "Move up" and "Move down" buttons move an item (no
 * dragging), the new place is announced and focus stays on the item's button; the answer is the
 * order of the item ids. */
CommonGround.kinds.register("order", { role: "graded", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, all = CG.all, one = CG.one, announce = CG.announce, setHtml = CG.setHtml, graded = CG.graded;
  var list = one(el, ".cg-order-items");
  var moved = one(el, ".cg-order-moved");
  var locked = false;

  function items() { return all(list, ".cg-order-item"); }
  function order() { return items().map(function (li) { return li.getAttribute("data-cg-option"); }); }
  function refresh() {
    var lis = items();
    lis.forEach(function (li, i) {
      one(li, "[data-cg-move=up]").disabled = locked || i === 0;
      one(li, "[data-cg-move=down]").disabled = locked || i === lis.length - 1;
    });
  }
  function clearMarks() {
    items().forEach(function (li) {
      li.classList.remove("cg-right", "cg-wrong");
      one(li, ".cg-order-mark").textContent = "";
      one(li, ".cg-option-feedback").hidden = true;
    });
  }
  function move(li, step) {
    var lis = items(), to = lis.indexOf(li) + step;
    if (to < 0 || to >= lis.length) { return; }
    if (step < 0) { list.insertBefore(li, lis[to]); } else { list.insertBefore(lis[to], li); }
    clearMarks();
    refresh();
    var button = one(li, "[data-cg-move=" + (step < 0 ? "up" : "down") + "]");
    if (button.disabled) { button = one(li, "[data-cg-move=" + (step < 0 ? "down" : "up") + "]"); }
    button.focus();
    announce(moved, ctx.t("{item}: now {n} of {total}.", {
      item: one(li, ".cg-order-text").textContent.trim(), n: to + 1, total: lis.length }));
  }
  function show(result, answer, quiet) {
    answer.forEach(function (id) {
      var li = items().filter(function (x) { return x.getAttribute("data-cg-option") === id; })[0];
      if (li) { list.appendChild(li); }
    });
    items().forEach(function (li) {
      var id = li.getAttribute("data-cg-option");
      var right = (result.correctIds || []).indexOf(id) >= 0;
      li.classList.toggle("cg-right", right);
      li.classList.toggle("cg-wrong", !right);
      one(li, ".cg-order-mark").textContent = right ? ctx.t("In the right place.") : ctx.t("Not in the right place.");
      var fb = one(li, ".cg-option-feedback");
      var html = result.feedback ? result.feedback[id] : "";
      fb.hidden = !html;
      setHtml(fb, html || "");
    });
    locked = graded.verdict(el, ctx, result, quiet);
    refresh();
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-cg-move]");
    if (button && !button.disabled) {
      move(button.closest(".cg-order-item"), button.getAttribute("data-cg-move") === "up" ? -1 : 1);
    }
  });
  graded.onSubmit(el, ctx, order, show);
  if (ctx.state && ctx.state.result) { show(ctx.state.result, ctx.state.selected || [], true); }
  refresh();
  return {};
} });
