/* Common Ground SCORM adapter: the module shell (shell.js, loaded after widgets.js;
 * CommonGround.startShell) talking to an LMS through the SCORM 1.2 API (window.API) or the
 * SCORM 2004 API (window.API_1484_11).
 *
 * Rules it keeps (see docs/coordinators.md and scorm_export's tests):
 * - finds the API in its own window, its parents and the opener chain, retrying briefly (and
 *   saying it is looking) unless no frame holds it and no window opened it; with no LMS it
 *   runs standalone (progress on this device) and says so;
 * - reads the status the LMS holds and never lowers it; "incomplete" only when nothing was
 *   recorded; completion and success come from the player's one rule (CommonGround.summarise)
 *   and the module's own pass mark, never from the LMS; score before status;
 * - every answer is an interaction in that version's format, and so is each confidence rating
 *   (a likert record per statement, under the id the packager writes: see the confidence kind)
 *   unless the learner keeps it on the device; reflections and the sharing forms never are;
 * - reads cmi.core.entry / cmi.entry: a new attempt (ab-initio) starts from the LMS's data
 *   alone, and a device copy of an earlier attempt the LMS once held is dropped, never merged
 *   (reflections, kept apart by the player, stay the learner's); a resume resumes;
 * - every value is one Moodle's own data model takes (tests/js/scorm_moodle_rules.js): answers
 *   as tokens [A-Za-z0-9_.] (scorm_export.package.token), times without a zone;
 * - commits on page change, answer, page hide and hidden visibility only, never in a loop and
 *   once at launch. Answers wait in a queue kept on the device; a record leaves it only when a
 *   Commit returned true after all its fields were set. A SetValue the LMS refuses with a
 *   data-model error drops that one record (logged with element, value and error code) and the
 *   rest goes on; one refused without a reason waits for the next commit, with the rest behind it;
 * - the learner is warned only when what matters to them (status, score, progress) was not
 *   saved; the warning goes when a later commit succeeds;
 * - no unload handler, no cmi.mode, no eval, no network of its own; error codes are read only
 *   after a SetValue returned false, for the log.
 */
(function (global) {
  "use strict";

  var CG = global.CommonGround;
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var key = data.module;
  var conf = data.scorm || {};
  // A whole-pack package (one SCO per module) says so in its scorm-package.js, loaded before
  // this file: the module's page itself is the same in both kinds of package.
  var multi = !!(global.CommonGroundPackage || {}).multi;
  var V12 = data.transport === "scorm12";
  var API_NAME = V12 ? "API" : "API_1484_11";
  var RETRIES = 8, RETRY_MS = 250;
  var SUSPEND_LIMIT = V12 ? 4096 : 64000;
  var LOCATION_LIMIT = V12 ? 255 : 1000;
  var TEXT_LIMIT = 250;       // 2004 description (SPM 250)
  var QUEUE_LIMIT = 200;
  var COMMIT_REASONS = { page: true, answer: true, hidden: true };

  var F = V12 ? {
    init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish",
    learner: "cmi.core.student_id", status: "cmi.core.lesson_status", location: "cmi.core.lesson_location",
    exit: "cmi.core.exit", session: "cmi.core.session_time", raw: "cmi.core.score.raw",
    min: "cmi.core.score.min", max: "cmi.core.score.max"
  } : {
    init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
    learner: "cmi.learner_id", completion: "cmi.completion_status", success: "cmi.success_status",
    location: "cmi.location", exit: "cmi.exit", session: "cmi.session_time", raw: "cmi.score.raw",
    min: "cmi.score.min", max: "cmi.score.max", scaled: "cmi.score.scaled"
  };

  /* Status ranks: a status is written only when it ranks above what the LMS holds. */
  var RANK12 = { "": 0, "not attempted": 0, "browsed": 1, "incomplete": 2, "failed": 3, "completed": 3, "passed": 4 };
  var RANK_COMPLETION = { "": 0, "unknown": 0, "not attempted": 0, "incomplete": 1, "completed": 2 };
  var RANK_SUCCESS = { "": 0, "unknown": 0, "failed": 1, "passed": 2 };

  /* ------------------------------------------------------------ discovery */

  function apiIn(win) {
    try {
      var api = win[API_NAME];
      return api && typeof api[V12 ? "LMSInitialize" : "Initialize"] === "function" ? api : null;
    } catch (e) {
      return null;        // another origin: keep climbing, its parent may be ours
    }
  }

  function climb(win) {
    for (var hops = 0; win && hops < 20; hops += 1) {
      var api = apiIn(win);
      if (api) { return api; }
      var parent = null;
      try { parent = win.parent; } catch (e) { parent = null; }
      if (!parent || parent === win) { return null; }
      win = parent;
    }
    return null;
  }

  /** A window no frame holds and no window opened (index.html opened from its folder): no LMS
   *  can appear around it, so there is nothing to wait for. */
  function alone() {
    try { return global.top === global && !global.opener; } catch (e) { return false; }
  }

  /** Own window and its parents, then the opener of the top window and its parents, and so on. */
  function findApi() {
    var win = global;
    for (var openers = 0; win && openers < 5; openers += 1) {
      var api = climb(win);
      if (api) { return api; }
      try { win = win.top && win.top.opener; } catch (e) { win = null; }
    }
    return null;
  }

  /* ------------------------------------------------------------- formats */

  function pad(n, width) { var s = String(Math.floor(n)); while (s.length < width) { s = "0" + s; } return s; }

  /** SCORM 1.2 CMITimespan HHHH:MM:SS (2 to 4 hour digits). */
  function timespan12(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var h = Math.min(Math.floor(s / 3600), 9999);
    return pad(h, 4) + ":" + pad((s % 3600) / 60, 2) + ":" + pad(s % 60, 2);
  }

  /** SCORM 2004 timeinterval (ISO 8601 duration), at most 2 decimals on seconds. */
  function duration2004(ms) {
    var cs = Math.max(0, Math.round(ms / 10));          // centiseconds
    var h = Math.floor(cs / 360000), m = Math.floor((cs % 360000) / 6000), sec = (cs % 6000) / 100;
    var out = "PT" + (h ? h + "H" : "") + (m ? m + "M" : "");
    if (sec || (!h && !m)) { out += String(Number(sec.toFixed(2))) + "S"; }
    return out;
  }

  /** 1.2 CMITime HH:MM:SS (time of day). */
  function time12(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }

  /** 2004 time(second,10,0): YYYY-MM-DDThh:mm:ss, no zone (a zone needs fractional seconds). */
  function timestamp2004(d) {
    return pad(d.getFullYear(), 4) + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" + time12(d);
  }

  function number(value) { return String(Math.round(value * 100) / 100); }

  function description(text) {
    var plain = String(text || "").replace(/\s+/g, " ").replace(/^[\s{]+/, "").trim();
    if (plain.length > TEXT_LIMIT) { plain = plain.slice(0, TEXT_LIMIT - 1).replace(/\s+\S*$/, "") + "…"; }
    return "{lang=" + (document.documentElement.lang || "en") + "}" + plain;
  }

  /** The fields of one interaction record, in the order they must be set (id, then type): an
   *  answer ({id, selected, correct, result: true/false, weight}) or one part of an element
   *  reported on its own ({id, part, selected, correct: null, result: null}: a rating, with no
   *  right answer, so no correct response and the result "neutral"). */
  function interactionFields(a, when) {
    var tokens = (conf.responses || {})[a.id] || {};
    function pattern(ids) {
      return ids.map(function (id) { return tokens[id] !== undefined ? tokens[id] : id; }).join(V12 ? "," : "[,]");
    }
    var ref = a.part ? a.id + " " + a.part : a.id;
    var result = a.result === null ? "neutral" : a.result ? "correct" : V12 ? "wrong" : "incorrect";
    // The interaction type and id are the element kind's (coursepack.elements), written by the packager.
    var fields = [["id", (conf.ids || {})[ref] || ref], ["type", (conf.types || {})[a.id] || "choice"],
      [V12 ? "time" : "timestamp", V12 ? time12(when) : timestamp2004(when)],
      ["weighting", number(a.result === null ? 0 : a.weight || 1)],
      [V12 ? "student_response" : "learner_response", pattern(a.selected)]];
    if (a.correct) { fields.push(["correct_responses.0.pattern", pattern(a.correct)]); }
    fields.push(["result", result], ["latency", V12 ? timespan12(a.latencyMs || 0) : duration2004(a.latencyMs || 0)]);
    if (!V12) { fields.push(["description", description(a.description)]); }
    return fields;
  }

  /* ------------------------------------------------------- device backup */

  /** A short, non-reversible tag of the learner id: device copies of two learners on one
   *  computer never mix, and no learner id is written into storage keys. */
  function tag(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i += 1) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h.toString(36);
  }

  /** What the adapter keeps on the device (the shell's store, CommonGround.store): whether the
   *  LMS lacks a save (dirty), whether it held this attempt (held: "1" once a commit of it
   *  succeeded, so a later ab-initio launch means the LMS started a new one), and the answers
   *  not yet confirmed (queue). */
  function deviceStore(scope) {
    var store = CG.store("commonground:" + key.id + ":" + (scope ? scope + ":" : "") + "scorm:");
    return {
      dirty: function () { return store.flag("dirty"); },
      setDirty: function (on) { store.setFlag("dirty", on); },
      held: function () { return store.flag("held"); },
      setHeld: function (on) { store.setFlag("held", on); },
      queue: function () { return store.json("queue", []); },
      saveQueue: function (q) { store.set("queue", JSON.stringify(q)); }
    };
  }

  /* ------------------------------------------------------------ the LMS */

  /** Error codes that mean "this value is wrong" (1.2: 201-203, 401-405; 2004: 351, 401-408),
   *  as opposed to "not now" (0, 101, 1xx/3xx): a record refused so is dropped, not retried. */
  function refusedForGood(code) {
    return /^(20[123]|351|40[1-8])$/.test(code);
  }

  /** The calls on the LMS's API object; every SetValue it refused, with the element, the value
   *  and its error code, is logged and kept in ``refusals``. */
  function lmsCalls(api, refusals) {
    function get(element) {
      try { var v = api[F.get](element); return v === undefined || v === null ? "" : String(v); } catch (e) { return ""; }
    }
    function lastError() {
      try { return String(api[V12 ? "LMSGetLastError" : "GetLastError"]()); } catch (e) { return ""; }
    }
    /** SetValue: true, or the LMS's error code ("0" when it gives none). */
    function set(element, value) {
      var ok;
      try { ok = String(api[F.set](element, String(value))) === "true"; } catch (e) { ok = false; }
      if (!ok) {
        var code = lastError();
        refusals.push({ element: element, value: String(value), code: code });
        if (global.console) { global.console.warn("SCORM: " + F.set + "(" + element + ", " + JSON.stringify(String(value)) + ") refused, error " + code); }
        return code || "0";
      }
      return true;
    }
    return {
      get: get, set: set,
      setOk: function (element, value) { return set(element, value) === true; },
      call: function (name) { try { return String(api[name]("")) === "true"; } catch (e) { return false; } }
    };
  }

  /* ----------------------------------------------------------- the answers */

  /** The answers not yet confirmed by a commit, in order, kept on the device. A record is its
   *  own unique name (uid), its fields in order, the index it takes in the LMS's list when
   *  sending starts (n, -1 until then) and how many fields the LMS took (done). */
  function answerQueue(lms, store, nextIndex) {
    var queue = [], serial = 0;
    function newRecord(fields) {
      serial += 1;
      return { uid: Date.now().toString(36) + "-" + serial + "-" + Math.random().toString(36).slice(2, 8),
        fields: fields, n: -1, done: 0 };
    }
    function complete(item) { return item.n >= 0 && item.done === item.fields.length; }
    function field(item, name) {
      for (var i = 0; i < item.fields.length; i += 1) { if (item.fields[i][0] === name) { return item.fields[i][1]; } }
      return "";
    }
    /** A record set in an earlier session whose commit never came back: did the LMS keep it?
     *  In 2004 the LMS's record at its own index tells (an index is unique within an attempt,
     *  and id, response and time must all match); 1.2 interactions cannot be read, so it is
     *  sent again: a duplicate row beats a lost answer. */
    function alreadyHeld(item, count) {
      if (V12 || !complete(item) || item.n >= count) { return false; }
      var p = "cmi.interactions." + item.n + ".";
      return lms.get(p + "id") === field(item, "id") && lms.get(p + "learner_response") === field(item, "learner_response") &&
        lms.get(p + "timestamp") === field(item, "timestamp");
    }
    return {
      /** Take over the records an earlier session left on the device that the LMS lacks. */
      restore: function () {
        var count = nextIndex;
        queue = store.queue().filter(function (item) { return item.fields && !alreadyHeld(item, count); })
          .map(function (item) { return newRecord(item.fields); });
        store.saveQueue(queue);
      },
      push: function (fields) {
        queue.push(newRecord(fields));
        if (queue.length > QUEUE_LIMIT) { queue.splice(0, queue.length - QUEUE_LIMIT); }
        store.saveQueue(queue);
      },
      /** Set every record not yet set, in order. A refusal for good drops that record (the LMS
       *  may keep the fields it took: an "ended" record) and the next goes on; a refusal without
       *  a reason stops here until the next save, keeping the order. */
      send: function () {
        var dropped = false;
        for (var i = 0; i < queue.length; i += 1) {
          var item = queue[i];
          if (complete(item)) { continue; }
          if (item.n < 0) { item.n = nextIndex; }
          for (; item.done < item.fields.length; item.done += 1) {
            var f = item.fields[item.done];
            var result = lms.set("cmi.interactions." + item.n + "." + f[0], f[1]);
            if (result !== true) {
              if (!refusedForGood(result)) { store.saveQueue(queue); return; }
              item.dropped = true;
              dropped = true;
              break;
            }
            if (item.done === 0) { nextIndex = item.n + 1; }
          }
        }
        if (dropped) { queue = queue.filter(function (item) { return !item.dropped; }); }
        store.saveQueue(queue);
      },
      /** A commit returned true: forget the records the LMS took whole. */
      committed: function () {
        queue = queue.filter(function (item) { return !complete(item); });
        store.saveQueue(queue);
      },
      empty: function () { return !queue.length; }
    };
  }

  /* ---------------------------------------------------- status and score */

  /** Write score, status and progress from the player's summary, never lowering what the LMS
   *  holds (``held``: its status, or completion and success, and raw score); whether every
   *  value that matters to the learner was taken. */
  function writeOutcome(lms, held, summary) {
    var ok = true;
    var scored = summary.answered === summary.questions;
    if (scored && !(held.raw >= summary.score)) {        // never lower what the LMS holds
      var scoreOk = lms.setOk(F.min, "0");
      scoreOk = lms.setOk(F.max, "100") && scoreOk;
      scoreOk = lms.setOk(F.raw, number(summary.score)) && scoreOk;
      if (!V12) { scoreOk = lms.setOk(F.scaled, String(Math.round(summary.score * 100) / 10000)) && scoreOk; }
      if (scoreOk) { held.raw = summary.score; }
      ok = scoreOk && ok;
    }
    if (V12) {
      var want = summary.complete ? (summary.passed ? "passed" : "failed") : "incomplete";
      if ((RANK12[want] || 0) > (RANK12[held.status] || 0)) {
        if (lms.setOk(F.status, want)) { held.status = want; } else { ok = false; }
      }
    } else {
      if (scored) {
        var success = summary.passed ? "passed" : "failed";
        if (RANK_SUCCESS[success] > (RANK_SUCCESS[held.success] || 0)) {
          if (lms.setOk(F.success, success)) { held.success = success; } else { ok = false; }
        }
      }
      var completion = summary.complete ? "completed" : "incomplete";
      if (RANK_COMPLETION[completion] > (RANK_COMPLETION[held.completion] || 0)) {
        if (lms.setOk(F.completion, completion)) { held.completion = completion; } else { ok = false; }
      }
      // For reports only: an LMS without it (401) must not raise a warning.
      lms.set("cmi.progress_measure", String(Math.round(100 * summary.seen / Math.max(summary.pages, 1)) / 100));
    }
    return ok;
  }

  /* ------------------------------------------------------------ a session */

  var refusals = [];       // {element, value, code}: SetValues the LMS refused, for the log and tests
  var lms = null;          // the LMS's calls, once its API is found (standalone: none)
  var queue = null;
  var store = deviceStore("");
  var held = {};           // what the LMS holds: status (1.2) or completion/success (2004), raw score
  var finished = false;
  var startedAt = Date.now();
  var lastState = null, confirmedState = null;   // what was last set / last confirmed
  var lastSaveOk = false;                          // status, score and progress of the last save were taken

  function connect(api) {
    lms = lmsCalls(api, refusals);
    lms.call(F.init);         // false when the LMS frame initialised already: carry on and read
    startedAt = Date.now();
    var learner = lms.get(F.learner);
    store = deviceStore(learner ? tag(learner) : "");
    var entry = lms.get(V12 ? "cmi.core.entry" : "cmi.entry");
    if (V12) { held.status = lms.get(F.status); } else {
      held.completion = lms.get(F.completion);
      held.success = lms.get(F.success);
    }
    held.raw = parseFloat(lms.get(F.raw));
    var suspend = lms.get("cmi.suspend_data");
    var location = lms.get(F.location);
    var older = entry === "ab-initio" && store.held();
    if (older) {
      // A new attempt, and this device holds a copy of one the LMS had: it belongs to the old
      // attempt, so it is neither merged nor sent (reflections live elsewhere and stay).
      store.saveQueue([]);
      store.setDirty(false);
      store.setHeld(false);
    }
    queue = answerQueue(lms, store, parseInt(lms.get("cmi.interactions._count"), 10) || 0);
    queue.restore();
    var pending = store.dirty();
    // Suspend from the start: a window closed without Finish still resumes (2004 would otherwise
    // end the attempt). Only "start over" sets another exit.
    lms.setOk(F.exit, "suspend");
    return {
      suspend: suspend || null, location: location || null, learner: learner ? tag(learner) : "",
      pending: pending, fresh: !suspend && !pending, newAttempt: older, lms: true, reports: true
    };
  }

  function standalone() {
    return { suspend: null, location: null, note: "Running on its own: progress is saved in this browser only." };
  }

  function sessionTime() {
    lms.setOk(F.session, V12 ? timespan12(Date.now() - startedAt) : duration2004(Date.now() - startedAt));
  }

  /** Only a Commit that returned true confirms data: the LMS then holds what was set, and the
   *  device forgets the records it had fully set. (Finish/Terminate is not trusted for this:
   *  LMSs send it as a beacon during page dismissal and report success before anything arrives.) */
  function commitNow(withTime) {
    if (withTime) { sessionTime(); }
    var ok = lms.call(F.commit);
    if (ok) {
      store.setHeld(true);
      if (lastSaveOk) { confirmedState = lastState; }
      queue.committed();
      if (queue.empty() && lastSaveOk) { store.setDirty(false); }
    }
    return ok;
  }

  function unconfirmed() { return lastState !== confirmedState || !queue.empty(); }

  var adapter = {
    canExit: true,
    optIn: true,
    limit: SUSPEND_LIMIT,

    /* Found at once, or alone: start at once. Otherwise an LMS may still be setting up its
     * API: say so while looking (up to RETRIES x RETRY_MS), then run standalone. */
    start: function () {
      var api = findApi();
      if (api) { return connect(api); }
      if (alone()) { return standalone(); }
      var status = document.getElementById("cg-status");
      status.textContent = CG.translator(data.strings)("Looking for your learning system…");
      return new Promise(function (resolve) {
        var tries = 0;
        (function attempt() {
          var found = findApi();
          if (found || tries >= RETRIES) {
            status.textContent = "";
            resolve(found ? connect(found) : standalone());
            return;
          }
          tries += 1;
          global.setTimeout(attempt, RETRY_MS);
        })();
      });
    },

    save: function (suspendText, location, summary) {
      if (!lms) { return true; }
      lastState = suspendText + "\n" + location;
      if (unconfirmed()) { store.setDirty(true); }
      if (finished) { return false; }
      queue.send();                               // answers first, then bookmark, score, status
      var ok = suspendText.length <= SUSPEND_LIMIT && lms.setOk("cmi.suspend_data", suspendText);
      if (location) { ok = lms.setOk(F.location, String(location).slice(0, LOCATION_LIMIT)) && ok; }
      ok = writeOutcome(lms, held, summary) && ok;
      lastSaveOk = ok;
      // A whole pack commits every change as it happens (a scenario step, a rating too), so that
      // nothing is left to send when the LMS's contents list unloads the module: see exit().
      if (multi && unconfirmed()) { ok = commitNow(false) && ok; }
      return ok;
    },

    answer: function (a) {
      if (!lms) { return; }
      queue.push(interactionFields(a, new Date()));
    },

    commit: function (reason) {
      if (!lms) { return true; }
      if (finished) { return false; }
      if (!COMMIT_REASONS[reason]) { return true; }   // kept in the LMS's data: goes with the next commit
      if (multi && !unconfirmed()) { return true; }  // a whole pack commits in save()
      return commitNow(reason === "hidden");
    },

    exit: function (restart, fromPagehide) {
      if (!lms) { return true; }
      if (finished) { return false; }
      queue.send();
      if (restart) {
        lms.setOk("cmi.suspend_data", "");
        lms.setOk(F.location, "");
        lms.setOk(F.exit, V12 ? "" : "normal");
        if (!V12 && !multi && !fromPagehide) { lms.setOk("adl.nav.request", "exitAll"); }
      } else {
        lms.setOk(F.exit, "suspend");        // again: some LMSs reset it after a commit
        if (!V12 && !fromPagehide) { lms.setOk("adl.nav.request", "suspendAll"); }
      }
      sessionTime();
      // A Commit only when something is not confirmed yet: Finish persists too, but its result
      // cannot be trusted (see commitNow). During page dismissal the Commit may fail: the device
      // copy and queue stay, and the next launch merges and resends them.
      var ok = restart || unconfirmed() ? commitNow(false) : true;
      // A SCO of a multi-SCO package unloaded by the LMS's own table of contents only commits,
      // and only what is not confirmed yet. In 2004, Moodle 5.0 keeps one API object for every
      // SCO of the player page and, once it is terminated, refuses every later SCO's data (133).
      // In both versions, a call that reaches Moodle's server while its contents list is being
      // clicked switches that page to background "beacon" saves for good (mod/scorm/request.js
      // tests the event type with indexOf and no "!== -1"): every later module's saves are then
      // reported as done before they arrive, and were lost when the browser closed. So no
      // Finish here: status, score and answers were committed as they happened.
      if (!(fromPagehide && multi)) { lms.call(F.finish); }
      finished = true;
      return ok;
    }
  };

  adapter.refusals = refusals;
  CG.scormAdapter = adapter;      // for tests and hosts that start the shell themselves
  CG.scormFormats = { timespan12: timespan12, duration2004: duration2004, time12: time12, timestamp2004: timestamp2004 };
  CG.startShell(adapter);
})(window);
