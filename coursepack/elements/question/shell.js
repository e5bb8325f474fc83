/* Knowledge check in the module shell: the judge of coursepack/elements/question, in the browser.
 * Right when exactly the right options are chosen; feedback for every chosen and right option. */
CommonGround.kinds.register("question", {
  judge: function (q, selected) {
    var feedback = {};
    selected.concat(q.correct).forEach(function (id) { if (q.options[id]) { feedback[id] = q.options[id].feedback; } });
    return { correct: q.correct.slice().sort().join(",") === selected.slice().sort().join(","),
      feedback: feedback, explanation: q.explanation, correctIds: q.correct, answerIds: q.correct };
  }
});
