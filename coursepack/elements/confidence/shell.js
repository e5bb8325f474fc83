/* Confidence check in the module shell: its part of the saved state (one digit or letter per
 * statement, 0 for none, after its fingerprint), an "after" check shown the learner's own
 * "before" ratings, as the Open edX block's server does, and what it reports to a host that
 * reports (each statement's rating, one character as in the state; the host names the record:
 * see the kind's __init__.py). */
(function (CG) {
  "use strict";

  function before(el, stateOf) {
    var after = el.getAttribute("data-cg-after");
    return after ? stateOf(after) : null;
  }

  CG.kinds.register("confidence", {
    state: {
      code: "c", group: "confidence", fp: true,
      encode: function (k, ratings) {
        return k.statements.map(function (sid) { return ratings[sid] ? ratings[sid].toString(36) : "0"; }).join("");
      },
      decode: function (k, text) {
        if (!text || text.length !== k.statements.length) { return undefined; }
        var ratings = {};
        k.statements.forEach(function (sid, n) {
          var v = parseInt(text.charAt(n), 36);
          if (v > 0) { ratings[sid] = v; }
        });
        return ratings;
      }
    },
    restore: function (ratings, el, stateOf) { return { ratings: ratings, before: before(el, stateOf) }; },
    keep: function (payload) { return { value: payload.ratings, reason: "rating" }; },
    report: function (k, ratings, el) {
      return k.statements.filter(function (sid) { return ratings[sid]; }).map(function (sid) {
        var legend = el.querySelector('[data-cg-statement="' + sid + '"] legend');
        return { part: sid, response: ratings[sid].toString(36), text: legend ? legend.textContent : "" };
      });
    },
    reply: function (el, stateOf) { return { before: before(el, stateOf) }; }
  });
})(window.CommonGround);
