/* Confidence check in the module shell: its part of the saved state (one digit or letter per
 * statement, 0 for none, after its fingerprint), and an "after" check shown the learner's own
 * "before" ratings, as the Open edX block's server does. */
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
    reply: function (el, stateOf) { return { before: before(el, stateOf) }; }
  });
})(window.CommonGround);
