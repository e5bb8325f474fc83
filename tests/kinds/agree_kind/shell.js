/* "Agree or disagree" in the module shell: right when the chosen side is the right one. */
CommonGround.kinds.register("agree", {
  judge: function (q, selected) {
    var feedback = {};
    selected.forEach(function (id) { if (q.options[id]) { feedback[id] = q.options[id].feedback; } });
    return { correct: selected.length === 1 && selected[0] === q.correct[0], feedback: feedback,
      explanation: q.explanation, correctIds: selected.filter(function (id) { return id === q.correct[0]; }),
      answerIds: q.correct };
  }
});
