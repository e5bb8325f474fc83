/* Scenario in the module shell: its part of the saved state, "<choice ids>.<1 when ended>"
 * (after its fingerprint), and a commit when an ending is reached. A copy with the ending, or
 * the longer path, is the newer. */
CommonGround.kinds.register("scenario", {
  state: {
    code: "s", group: "scenarios", fp: true,
    encode: function (k, a) { return a.path.join(",") + "." + (a.ended ? 1 : 0); },
    decode: function (k, text) {
      var f = text.split(".");
      return { path: f[0] ? f[0].split(",") : [], ended: f[1] === "1" };
    },
    newer: function (a, b) { return (b.ended && !a.ended) || (b.ended === a.ended && b.path.length > a.path.length); }
  },
  keep: function (payload) { return { value: payload, reason: payload.ended ? "scenario" : null }; }
});
