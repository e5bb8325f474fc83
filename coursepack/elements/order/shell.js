/* Put in order in the module shell: the judge of coursepack/elements/order, in the browser.
 * Right when every item is in its place; feedback for the items out of place. */
CommonGround.kinds.register("order", {
  judge: function (q, selected) {
    var feedback = {};
    var placed = selected.filter(function (id, i) { return q.correct[i] === id; });
    selected.forEach(function (id, i) {
      if (q.options[id] && q.correct[i] !== id) { feedback[id] = q.options[id].feedback; }
    });
    return { correct: placed.length === q.correct.length && selected.length === q.correct.length,
      feedback: feedback, explanation: q.explanation, correctIds: placed };
  }
});
