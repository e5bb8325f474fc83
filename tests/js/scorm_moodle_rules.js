/* Moodle's SetValue rules for the test LMS: what Moodle 5.0's own SCORM player
 * (mod/scorm/datamodels/scorm_12.js and scorm_13.js) refuses, written again from its regexes and
 * checks so that CI, which cannot run Moodle, refuses the same values with the same error codes.
 *
 * MoodleRules(v12, initial).check(element, value) -> "0" (Moodle would take it) or the error
 * code Moodle's SetValue would leave (1.2: 201, 403, 405; 2004: 351, 401, 404, 406, 407, 408).
 * Only the elements of the data model a SCO may write are listed; the strings are those of
 * Moodle's "SCORM standards mode" in 1.2 (CMIString256 = 255, CMIString4096 = 4096 characters),
 * the stricter of its two settings.
 */
(function (global) {
  "use strict";

  var R12 = {
    CMIString256: "^[\\u0000-\\uFFFF]{0,255}$",
    CMIString4096: "^[\\u0000-\\uFFFF]{0,4096}$",
    CMITime: "^([0-2]{1}[0-9]{1}):([0-5]{1}[0-9]{1}):([0-5]{1}[0-9]{1})(\\.[0-9]{1,2})?$",
    CMITimespan: "^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\\.[0-9]{1,2})?$",
    CMIDecimal: "^-?([0-9]{0,3})(\\.[0-9]*)?$",
    CMIIdentifier: "^[\\u0021-\\u007E]{0,255}$",
    CMIStatus: "^passed$|^completed$|^failed$|^incomplete$|^browsed$",
    CMIExit: "^time-out$|^suspend$|^logout$|^$",
    CMIType: "^true-false$|^choice$|^fill-in$|^matching$|^performance$|^sequencing$|^likert$|^numeric$",
    CMIResult: "^correct$|^wrong$|^unanticipated$|^neutral$|^([0-9]{0,3})?(\\.[0-9]*)?$"
  };
  var MODEL12 = {
    "cmi.core.lesson_location": [R12.CMIString256],
    "cmi.core.lesson_status": [R12.CMIStatus],
    "cmi.core.score.raw": [R12.CMIDecimal, 0, 100],
    "cmi.core.score.min": [R12.CMIDecimal, 0, 100],
    "cmi.core.score.max": [R12.CMIDecimal, 0, 100],
    "cmi.core.exit": [R12.CMIExit],
    "cmi.core.session_time": [R12.CMITimespan],
    "cmi.suspend_data": [R12.CMIString4096],
    "cmi.comments": [R12.CMIString4096],
    "cmi.interactions.n.id": [R12.CMIIdentifier],
    "cmi.interactions.n.time": [R12.CMITime],
    "cmi.interactions.n.type": [R12.CMIType],
    "cmi.interactions.n.correct_responses.n.pattern": [R12.CMIString256],
    "cmi.interactions.n.weighting": [R12.CMIDecimal, -100, 100],
    "cmi.interactions.n.student_response": [R12.CMIString256],
    "cmi.interactions.n.result": [R12.CMIResult],
    "cmi.interactions.n.latency": [R12.CMITimespan]
  };
  var READONLY12 = /^cmi\.(core\.(student_id|student_name|credit|entry|total_time|lesson_mode)|launch_data|student_data\..*|_version|_children)$/;

  var R13 = {
    CMIString1000: "^[\\u0000-\\uFFFF]{0,1000}$",
    CMIString4000: "^[\\u0000-\\uFFFF]{0,4000}$",
    CMIString64000: "^[\\u0000-\\uFFFF]{0,64000}$",
    CMILangString250: "^(\\{lang=([a-zA-Z]{2,3}|i|x)(\\-[a-zA-Z0-9\\-]{2,8})?\\})?([^\\{].{0,250}$)?",
    CMITime: "^(19[7-9]{1}[0-9]{1}|20[0-2]{1}[0-9]{1}|203[0-8]{1})((-(0[1-9]{1}|1[0-2]{1}))((-(0[1-9]{1}|[1-2]{1}[0-9]{1}|3[0-1]{1}))(T([0-1]{1}[0-9]{1}|2[0-3]{1})((:[0-5]{1}[0-9]{1})((:[0-5]{1}[0-9]{1})((\\.[0-9]{1,2})((Z|([+|-]([0-1]{1}[0-9]{1}|2[0-3]{1})))(:[0-5]{1}[0-9]{1})?)?)?)?)?)?)?)?$",
    CMITimespan: "^P(\\d+Y)?(\\d+M)?(\\d+D)?(T(((\\d+H)(\\d+M)?(\\d+(\\.\\d{1,2})?S)?)|((\\d+M)(\\d+(\\.\\d{1,2})?S)?)|((\\d+(\\.\\d{1,2})?S))))?$",
    CMIDecimal: "^-?([0-9]{1,5})(\\.[0-9]{1,18})?$",
    CMIShortIdentifier: "^[\\w\\.]{1,250}$",
    CMILongIdentifier: "^(?:(?!urn:)\\S{1,4000}|urn:[A-Za-z0-9-]{1,31}:\\S{1,4000})$",
    CMICStatus: "^completed$|^incomplete$|^not attempted$|^unknown$",
    CMISStatus: "^passed$|^failed$|^unknown$",
    CMIExit: "^time-out$|^suspend$|^logout$|^normal$|^$",
    CMIType: "^true-false$|^choice$|^(long-)?fill-in$|^matching$|^performance$|^sequencing$|^likert$|^numeric$|^other$",
    CMIResult: "^correct$|^incorrect$|^unanticipated$|^neutral$|^-?([0-9]{1,4})(\\.[0-9]{1,18})?$",
    NAVEvent: "^previous$|^continue$|^exit$|^exitAll$|^abandon$|^abandonAll$|^suspendAll$|^\\{target=\\S{0,200}[a-zA-Z0-9]\\}choice|jump$",
    FEEDBACK: "^.*$"
  };
  var MODEL13 = {
    "cmi.completion_status": [R13.CMICStatus],
    "cmi.success_status": [R13.CMISStatus],
    "cmi.exit": [R13.CMIExit],
    "cmi.location": [R13.CMIString1000],
    "cmi.suspend_data": [R13.CMIString64000],
    "cmi.session_time": [R13.CMITimespan],
    "cmi.progress_measure": [R13.CMIDecimal, 0, 1],
    "cmi.score.scaled": [R13.CMIDecimal, -1, 1],
    "cmi.score.raw": [R13.CMIDecimal],
    "cmi.score.min": [R13.CMIDecimal],
    "cmi.score.max": [R13.CMIDecimal],
    "adl.nav.request": [R13.NAVEvent],
    "cmi.interactions.n.id": [R13.CMILongIdentifier],
    "cmi.interactions.n.type": [R13.CMIType],
    "cmi.interactions.n.timestamp": [R13.CMITime],
    "cmi.interactions.n.weighting": [R13.CMIDecimal],
    "cmi.interactions.n.learner_response": [R13.FEEDBACK],
    "cmi.interactions.n.correct_responses.n.pattern": [R13.FEEDBACK],
    "cmi.interactions.n.result": [R13.CMIResult],
    "cmi.interactions.n.latency": [R13.CMITimespan],
    "cmi.interactions.n.description": [R13.CMILangString250]
  };
  var READONLY13 = /^cmi\.(_version|_children|completion_threshold|credit|entry|launch_data|learner_id|learner_name|max_time_allowed|mode|scaled_passing_score|time_limit_action|total_time|interactions\._count)$/;

  /* Per interaction type: the format of each node, the delimiter, the most nodes, unique nodes. */
  var RESPONSES13 = {
    "true-false": { format: "^true$|^false$", max: 1, delimiter: "" },
    "choice": { format: R13.CMIShortIdentifier, max: 36, delimiter: "[,]", unique: true },
    "likert": { format: R13.CMIShortIdentifier, max: 1, delimiter: "" },
    "sequencing": { format: R13.CMIShortIdentifier, max: 36, delimiter: "[,]" },
    "numeric": { format: R13.CMIDecimal, max: 1, delimiter: "" }
  };

  /** Moodle's match test: a match that is not only empty groups, or an empty value. */
  function matches(format, value) {
    var m = value.match(new RegExp(format));
    return m !== null && (m.join("").length > 0 || value.length === 0);
  }

  function inRange(value, low, high) {
    if (low === undefined) { return true; }
    var v = value * 1.0;
    return v >= low && v <= high;
  }

  function nodesOk(type, value, isPattern) {
    var rule = RESPONSES13[type];
    if (!rule) { return "0"; }           // types this package never sends: not checked here
    var nodes = rule.delimiter ? value.split(rule.delimiter) : [value];
    if (nodes.length > rule.max) { return "351"; }
    for (var i = 0; i < nodes.length; i += 1) {
      if (!new RegExp(rule.format).test(nodes[i]) && (value !== "" || !isPattern || type === "true-false")) { return "406"; }
      if (rule.unique && nodes[i] !== "" && nodes.slice(0, i).indexOf(nodes[i]) >= 0) { return "406"; }
    }
    return "0";
  }

  function MoodleRules(v12, initial) {
    this.v12 = v12;
    this.records = [];          // per interaction index: {type, patterns: [...]}
    var self = this;
    Object.keys(initial || {}).forEach(function (k) {
      var m = /^cmi\.interactions\.(\d+)\.(id|type)$/.exec(k);
      if (!m) { return; }
      var rec = self.records[+m[1]] = self.records[+m[1]] || { type: undefined, patterns: [] };
      if (m[2] === "type") { rec.type = initial[k]; }
    });
    for (var n = 0; n < this.records.length; n += 1) { this.records[n] = this.records[n] || { patterns: [] }; }
  }

  MoodleRules.prototype.check = function (element, value) {
    value = String(value);
    var model = element.replace(/[._](\d+)\./g, ".n.");
    var table = this.v12 ? MODEL12 : MODEL13;
    var entry = table[model];
    if (!entry) {
      if (this.v12) { return READONLY12.test(element) ? "403" : "201"; }
      return READONLY13.test(element) ? "404" : "401";
    }
    if (!matches(entry[0], value)) { return this.v12 ? "405" : "406"; }
    var m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(element);
    if (m) {
      var n = +m[1], field = m[2];
      if (String(n) !== m[1]) { return this.v12 ? "201" : "351"; }
      if (n > this.records.length) { return this.v12 ? "201" : "351"; }
      var rec = this.records[n];
      if (this.v12) {
        if (!rec) { rec = this.records[n] = { patterns: [] }; }
      } else {
        if (!rec && field !== "id") { return "408"; }
        if (!rec) { rec = this.records[n] = { patterns: [] }; }
        if (field === "type") { rec.type = value; rec.patterns = []; }
        if (field === "learner_response") {
          if (rec.type === undefined) { return "408"; }
          var code = nodesOk(rec.type, value, false);
          if (code !== "0") { return code; }
        }
        var p = /^correct_responses\.(\d+)\.pattern$/.exec(field);
        if (p) {
          if (rec.type === undefined) { return "408"; }
          var k = +p[1];
          if (rec.type === "choice" && rec.patterns.indexOf(value) >= 0) { return "351"; }
          if (k > rec.patterns.length) { return "351"; }
          var pcode = nodesOk(rec.type, value, true);
          if (pcode !== "0") { return pcode; }
          rec.patterns[k] = value;
        }
      }
    }
    if (!inRange(value, entry[1], entry[2])) { return this.v12 ? "405" : "407"; }
    return "0";
  };

  global.MoodleRules = MoodleRules;
})(window);
