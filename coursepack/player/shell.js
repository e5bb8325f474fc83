/* Common Ground module shell: a whole module page for SCORM packages and the preview site, this
 * file followed by each element kind's shell.js (coursepack.player puts them together).
 *
 * It names no kind: it asks the kinds' registry (widgets.js, loaded first) by role. Its parts:
 * the device store (also the SCORM adapter's); the one scoring rule, with the kinds' judges;
 * the versioned state codec, built from the kinds' parts of the saved state; the host each
 * widget gets, by its kind's role; and the module page (pages and contents, saving, the summary
 * of what is left, pause, exit, start over, consent), each a small function of the run. The
 * Open edX blocks never load this file. No framework, no network, no eval, no inline handlers.
 */
(function (global) {
  "use strict";

  var CG = global.CommonGround;
  if (!CG || !CG.mountWidget) { throw new Error("shell.js needs widgets.js, loaded before it"); }
  var all = CG.all, one = CG.one, announce = CG.announce, kinds = CG.kinds;

  /* ------------------------------------------------------------------- device store */

  /** Values kept in this browser under ``prefix``, in memory where storage is blocked. */
  CG.store = function (prefix) {
    var memory = {};
    function get(name) {
      try { return global.localStorage.getItem(prefix + name); } catch (e) { return memory[name] || null; }
    }
    function set(name, value) {
      try { global.localStorage.setItem(prefix + name, value); } catch (e) { memory[name] = value; }
    }
    return {
      get: get, set: set,
      json: function (name, empty) { try { return JSON.parse(get(name)) || empty; } catch (e) { return empty; } },
      flag: function (name) { return get(name) === "1"; },
      setFlag: function (name, on) { set(name, on ? "1" : "0"); }
    };
  };

  /** The shell's copy on the device: the state, reflections (which never leave the device
   *  unless the learner opts in) and the values a learner chose to keep on the device (by part
   *  code and element id; they never leave it). ``scope`` (optional) keeps different learners'
   *  copies apart. */
  CG.localStore = function (key, scope) {
    var store = CG.store("commonground:" + key.id + ":" + (scope ? scope + ":" : ""));
    return {
      loadState: function () { return store.get("state"); },
      saveState: function (text) { store.set("state", text); },
      loadReflections: function () { return store.json("reflections", {}); },
      saveReflections: function (r) { store.set("reflections", JSON.stringify(r)); },
      loadOptIn: function () { return store.flag("optin"); },
      saveOptIn: function (on) { store.setFlag("optin", on); },
      /** The day the learner first opened the module here (``today`` the first time). */
      started: function (today) {
        if (!store.get("started")) { store.set("started", today); }
        return store.get("started");
      },
      /** The day the shell first saw the module complete here (``today`` the first time; without
       *  ``today`` it only reads it: "" while the module was never complete here). */
      completed: function (today) {
        if (today && !store.get("completed")) { store.set("completed", today); }
        return store.get("completed") || "";
      },
      loadOnDevice: function () { return store.json("ondevice", {}); },
      saveOnDevice: function (kept) { store.set("ondevice", JSON.stringify(kept)); }
    };
  };

  /* ---------------------------------------------------------- the kinds, by role */

  function escapeText(text) {
    return text.replace(/[%!;:]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); });
  }
  function unescapeText(text) {
    return text.replace(/%(21|25|3A|3B)/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); });
  }

  /* A part of the saved state: the ``code`` of its group, the module key's ``group`` of its
   * entries, whether an item carries the entry's fingerprint (``fp``), ``encode(entry, value)``
   * and ``decode(entry, text)`` (undefined: nothing kept), ``newer(a, b)`` (whether a device copy
   * b replaces a) and ``consent`` (kept on the host only when the learner opted in). Graded and
   * private kinds share their role's; a tracked kind brings its own (its shell.js). An element
   * the learner keeps on the device (``state.onDevice[id]``) is never encoded: see the tracked
   * host. */
  var ROLE_PARTS = {
    graded: {
      code: "q", group: "questions", fp: true,
      encode: function (k, a) { return a.sel.join(",") + "." + (a.n || 0); },
      decode: function (k, text) {
        var f = text.split(".");
        var sel = f[0] ? f[0].split(",").filter(function (o) { return k.options[o]; }) : [];
        return sel.length ? { sel: sel, n: parseInt(f[1], 10) || 1 } : undefined;
      },
      newer: function (a, b) { return (b.n || 0) > (a.n || 0); }
    },
    private: {
      code: "r", group: "reflections", consent: true,
      encode: function (k, text) { return escapeText(text); },
      decode: function (k, text) { return unescapeText(text).slice(0, k.max); }
    }
  };

  /** Each part of the saved state the registered kinds have, by code (in code order). */
  function stateParts() {
    var found = {};
    kinds.all().forEach(function (kind) {
      var part = kind.state || ROLE_PARTS[kind.role];
      if (!part) { return; }
      if (found[part.code] && found[part.code] !== part) {
        throw new Error("CommonGround.kinds: two parts of the saved state are called '" + part.code + "'");
      }
      found[part.code] = part;
    });
    return Object.keys(found).sort().map(function (code) { return found[code]; });
  }

  /* ------------------------------------------------------------- scoring (one rule) */

  /** The completion rule of coursepack.completion.summarise, applied in the browser:
   *  ``kindOf(id)`` is the kind of a knowledge check, whose judge says whether it is right. */
  function summarise(key, state, kindOf) {
    var part = ROLE_PARTS.graded, checks = key[part.group], answers = state[part.code];
    var seen = 0, answered = 0, questions = 0, total = 0, got = 0;
    key.pages.forEach(function (id, i) { if (state.pages[i]) { seen += 1; } });
    Object.keys(checks).forEach(function (id) {
      var q = checks[id], a = answers[id];
      questions += 1;
      total += q.weight;
      if (a && a.sel.length) {
        answered += 1;
        if (kindOf(id).judge(q, a.sel).correct) { got += q.weight; }
      }
    });
    var score = total ? Math.round(10000 * got / total) / 100 : 100;
    return {
      complete: seen === key.pages.length && answered === questions,
      score: score, passed: score >= key.passMark,
      seen: seen, pages: key.pages.length, answered: answered, questions: questions
    };
  }

  CG.summarise = summarise;

  /* -------------------------------------------------------------------- state codec */

  /* Compact, versioned encoding of a module's learner state (SCORM 1.2 allows 4,096 characters
   * of suspend_data for everything). Fields are separated by characters that ids ([a-z0-9-])
   * never contain; reflection text escapes them. An item carries its element's fingerprint: a
   * changed or unknown element is dropped on decode, never re-mapped.
   *   2!<pagesFp>.<pages bit set, hex>.<page>!<code>=<item>;<item>!<code>=...   (empty groups left out)
   *   item: <id>:<fp>.<the part's encoding>, or <id>:<encoding> for a part without fingerprints
   * Format 1 (the release before) had the groups q, s, c and r, in that order, without codes. */
  var STATE_VERSION = "2";
  var V1_GROUPS = ["q", "s", "c", "r"];

  function emptyState(key) {
    var state = { pages: key.pages.map(function () { return false; }), loc: 0 };
    stateParts().forEach(function (part) { state[part.code] = {}; });
    return state;
  }

  /** One element's value as its part writes it (after the element's fingerprint, if it has one),
   *  and back (undefined: a changed element, or nothing kept). */
  function encodeItem(part, entry, value) { return (part.fp ? entry.fp + "." : "") + part.encode(entry, value); }
  function decodeItem(part, entry, text) {
    if (part.fp) {
      var dot = text.indexOf(".");
      if ((dot < 0 ? text : text.slice(0, dot)) !== entry.fp) { return undefined; }
      text = dot < 0 ? "" : text.slice(dot + 1);
    }
    return part.decode(entry, text);
  }

  function encode(key, state, withReflections) {
    var bits = "";
    for (var i = 0; i < key.pages.length; i += 4) {
      var nibble = 0;
      for (var b = 0; b < 4; b += 1) { if (state.pages[i + b]) { nibble |= 1 << b; } }
      bits += nibble.toString(16);
    }
    var fields = [STATE_VERSION, key.pagesFp + "." + bits + "." + (state.loc || 0)];
    stateParts().forEach(function (part) {
      var entries = key[part.group] || {}, values = state[part.code] || {};
      var items = Object.keys(values).filter(function (id) {
        var v = values[id];
        return entries[id] && v !== undefined && v !== null && v !== "" && (withReflections || !part.consent) &&
          !(state.onDevice && state.onDevice[id]);
      }).map(function (id) { return id + ":" + encodeItem(part, entries[id], values[id]); });
      if (items.length) { fields.push(part.code + "=" + items.join(";")); }
    });
    return fields.join("!");
  }

  /** The groups of an encoded state by code, or null for a format this player cannot read. */
  function groupsOf(fields) {
    var groups = {};
    if (fields[0] === "1" && fields.length >= 6) {
      V1_GROUPS.forEach(function (code, n) { groups[code] = fields[n + 2]; });
    } else if (fields[0] === STATE_VERSION && fields.length >= 2) {
      fields.slice(2).forEach(function (group) {
        var eq = group.indexOf("=");
        if (eq > 0) { groups[group.slice(0, eq)] = group.slice(eq + 1); }
      });
    } else {
      return null;
    }
    return groups;
  }

  function decode(key, text) {
    var state = emptyState(key);
    var fields = typeof text === "string" ? text.split("!") : [];
    var groups = groupsOf(fields);
    if (!groups) { return state; }
    var head = fields[1].split(".");
    if (head[0] === key.pagesFp) {
      for (var i = 0; i < key.pages.length; i += 1) {
        var nibble = parseInt((head[1] || "").charAt(i >> 2) || "0", 16);
        state.pages[i] = !!(nibble & (1 << (i & 3)));
      }
      var loc = parseInt(head[2], 10);
      state.loc = loc >= 0 && loc < key.pages.length ? loc : 0;
    }
    stateParts().forEach(function (part) {
      var entries = key[part.group] || {};
      (groups[part.code] ? groups[part.code].split(";") : []).forEach(function (item) {
        var colon = item.indexOf(":");
        var k = colon > 0 && entries[item.slice(0, colon)];
        if (!k) { return; }
        var value = decodeItem(part, k, item.slice(colon + 1));
        if (value !== undefined) { state[part.code][item.slice(0, colon)] = value; }
      });
    });
    return state;
  }

  /** Union of two decoded states of one module, for a device copy the LMS never received:
   *  nothing either holds is lost (pages seen; of two values of one element the one its part
   *  calls newer, e.g. the answer with more attempts, else the LMS's); the place is the
   *  device's (newer). */
  function merge(lms, device) {
    var out = { pages: lms.pages.map(function (seen, i) { return seen || !!device.pages[i]; }), loc: device.loc };
    stateParts().forEach(function (part) {
      var mine = out[part.code] = {}, theirs = device[part.code] || {};
      Object.keys(lms[part.code] || {}).forEach(function (id) { mine[id] = lms[part.code][id]; });
      Object.keys(theirs).forEach(function (id) {
        if (mine[id] === undefined || (part.newer && part.newer(mine[id], theirs[id]))) { mine[id] = theirs[id]; }
      });
    });
    return out;
  }

  CG.state = { encode: encode, decode: decode, empty: emptyState, merge: merge, version: STATE_VERSION };

  /* ------------------------------------------------------------------ the run */

  /** One module page: what the parts below share. */
  function newRun(adapter) {
    var data = JSON.parse(document.getElementById("cg-data").textContent);
    var run = {
      adapter: adapter, key: data.module, t: CG.translator(data.strings), facts: data.facts || {},
      pages: all(document, ".cg-page"), status: document.getElementById("cg-status"),
      progress: document.getElementById("cg-progress"), current: 0, shownAt: Date.now(),
      ended: false, tooLong: false, warned: false, byId: {}, watchers: []
    };
    run.state = emptyState(run.key);
    run.local = CG.localStore(run.key);
    all(document, ".cg-widget[data-cg-id]").forEach(function (el) {
      run.byId[el.getAttribute("data-cg-id")] = kinds.get(el.getAttribute("data-cg-kind")) || {};
    });
    run.kindOf = function (id) { return run.byId[id] || {}; };
    run.summary = function () { return summarise(run.key, run.state, run.kindOf); };
    return run;
  }

  function textOf(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    return tpl.content.textContent.trim();
  }

  /* ------------------------------------------------------------------- saving */

  /** Save the state on the device and with the host (``reason``: also commit), and warn when
   *  the host did not take it. Reflections go to the host only with consent, and only while
   *  they fit; otherwise they stay on the device and the learner is told once. */
  function persist(run, reason) {
    var summary = run.summary();
    if (run.ended) { return summary; }
    var state = run.state, adapter = run.adapter;
    var text = encode(run.key, state, !!state.optIn);
    if (state.optIn && adapter.limit && text.length > adapter.limit) {
      text = encode(run.key, state, false);
      if (!run.tooLong) { announce(run.status, run.t("Your reflections are too long to send to your learning system, so they stay on this device. You can download them.")); }
      run.tooLong = true;
    } else { run.tooLong = false; }
    run.local.saveState(text);
    var ok = adapter.save(text, run.key.pages[run.current], summary, state);
    if (reason) { ok = adapter.commit(reason) && ok; }
    warn(run, ok);
    renderSummary(run, summary);
    noteProgress(run, summary);
    return summary;
  }

  /** Keep the day the module was first complete here, and tell the widgets that watch progress. */
  function noteProgress(run, summary) {
    if (summary.complete && !run.completed) { run.completed = run.local.completed(isoDay(new Date())); }
    run.watchers.forEach(function (fn) { fn(summary); });
  }

  function isoDay(d) {
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  /** The one warning: status, score or progress did not reach the host (the adapter's save or
   *  commit said false). It stays until a later save and commit both succeed, then it goes. */
  function warn(run, ok) {
    if (ok === false) {
      run.warned = true;
      announce(run.status, run.t("Saving to your learning system did not work. Your answers are kept here and will be sent again."));
    } else if (run.warned && ok === true) {
      run.warned = false;
      announce(run.status, run.t("Saved to your learning system."));
    }
  }

  /* ------------------------------------------------------- the hosts, by role */

  /* What a widget's host context holds in the shell, by its kind's role (the XBlock adapter is
   * the other host). Each gets the run, the widget, its id and its kind, and fills ``ctx``. */
  var HOSTS = {
    /* A knowledge check: attempts, the kind's judge, the answer reported to the host. */
    graded: function (run, el, id, kind, ctx) {
      var part = ROLE_PARTS.graded, q = run.key[part.group][id], answers = run.state[part.code];
      if (!q) { return; }
      if (answers[id]) {
        var r = kind.judge(q, answers[id].sel);
        r.attemptsLeft = q.attempts ? Math.max(q.attempts - answers[id].n, 0) : -1;
        ctx.state = { selected: answers[id].sel, result: r };
      }
      ctx.submit = function (payload) {
        var used = answers[id] ? answers[id].n : 0;
        if (q.attempts && used >= q.attempts) { return Promise.reject(new Error(run.t("No attempts left."))); }
        var result = kind.judge(q, payload.selected);
        answers[id] = { sel: payload.selected.slice(), n: used + 1 };
        result.attemptsLeft = q.attempts ? Math.max(q.attempts - used - 1, 0) : -1;
        run.adapter.answer({
          id: id, type: q.type, selected: payload.selected, correct: q.correct, result: result.correct,
          latencyMs: Date.now() - run.shownAt, weight: q.weight, description: textOf(q.prompt)
        });
        persist(run, "answer");
        return Promise.resolve(result);
      };
    },
    /* The learner's own words: drafts kept on the device as they are typed, sent only with consent. */
    private: function (run, el, id, kind, ctx) {
      var texts = run.state[ROLE_PARTS.private.code];
      if (!run.key[ROLE_PARTS.private.group][id]) { return; }
      if (texts[id] !== undefined) { ctx.state = { text: texts[id] }; }
      ctx.draft = function (text) { texts[id] = text; run.local.saveReflections(texts); };
      ctx.save = function (payload) {
        texts[id] = payload.text;
        run.local.saveReflections(texts);
        if (run.state.optIn) { persist(run, "private"); }
        return Promise.resolve({});
      };
      ctx.download = function () { downloadReflections(run); };
    },
    /* Read, never tracked; a kind that makes the learner's record (``record``) gets it from here,
     * from what is on the device: nothing is sent. ``completed``: the day the module was first
     * complete here; ``lms``: a learning system holds the learner's official record.
     * ``onProgress(fn)``: fn(summary) after each change of progress. Where every module of the
     * pack keeps its progress on this device (``adapter.wholePack``: the preview site),
     * ``completionDates(ids)`` also gives the day each of those modules was first complete here
     * ("" for one not complete yet); a host that sees only its own module leaves it out. */
    content: function (run, el, id, kind, ctx) {
      if (!kind.record) { return; }
      ctx.record = function () {
        var s = run.summary();
        s.passMark = run.key.passMark;
        return Promise.resolve({ summary: s, reflections: ownWords(run), started: run.started,
          completed: run.completed || "", lms: run.lms });
      };
      ctx.onProgress = function (fn) { run.watchers.push(fn); };
      if (run.adapter.wholePack) {
        ctx.completionDates = function (ids) {
          var dates = {};
          ids.forEach(function (other) {
            dates[other] = other === run.key.id ? run.completed || "" : CG.localStore({ id: other }, run.learner).completed();
          });
          return Promise.resolve(dates);
        };
      }
    },
    /* Kept so the learner comes back where they were; the kind says how (its shell.js). A kind
     * whose values go to the host's reports (its ``report(entry, value, el)``: one record per
     * part, {part, response, text}) sends them as interactions when the host reports
     * (``run.reports``), unless the learner keeps them on this device (``payload.onDevice``, the
     * choice ``ctx.report.onDevice`` shows): such a value is kept in the device store only, and
     * neither reported nor in the state the host holds. */
    tracked: function (run, el, id, kind, ctx) {
      var values = run.state[kind.state.code];
      var reports = run.reports && kind.report;
      function stateOf(other) { return values[other]; }
      if (values[id] !== undefined) { ctx.state = kind.restore ? kind.restore(values[id], el, stateOf) : values[id]; }
      // The choice shown: this element's, or for one not saved yet the learner's last (any kept).
      if (reports) {
        ctx.report = { onDevice: !!run.state.onDevice[id] ||
          (values[id] === undefined && Object.keys(run.state.onDevice).length > 0) };
      }
      ctx.save = function (payload) {
        var kept = kind.keep ? kind.keep(payload) : { value: payload, reason: null };
        values[id] = kept.value;
        if (reports) {
          keepOnDevice(run, kind.state, id, payload.onDevice ? kept.value : undefined);
          if (!payload.onDevice) {
            kind.report(run.key[kind.state.group][id], kept.value, el).forEach(function (r) {
              run.adapter.answer({ id: id, part: r.part, selected: [r.response], correct: null, result: null,
                latencyMs: Date.now() - run.shownAt, description: r.text });
            });
          }
        }
        persist(run, kept.reason);
        return Promise.resolve(kind.reply ? kind.reply(el, stateOf) : {});
      };
    }
  };

  /** Keep ``value`` of element ``id`` on this device only (in its part's encoding, so that a
   *  changed element is dropped as in the state), or (undefined) stop keeping it there. */
  function keepOnDevice(run, part, id, value) {
    var kept = run.local.loadOnDevice();
    kept[part.code] = kept[part.code] || {};
    if (value === undefined) { delete kept[part.code][id]; delete run.state.onDevice[id]; }
    else { kept[part.code][id] = encodeItem(part, run.key[part.group][id], value); run.state.onDevice[id] = true; }
    run.local.saveOnDevice(kept);
  }

  function widgetContext(run, el) {
    var id = el.getAttribute("data-cg-id"), kind = id ? run.kindOf(id) : kinds.get(el.getAttribute("data-cg-kind")) || {};
    var ctx = { t: run.t, emit: function () {}, state: null, facts: run.facts };
    if (HOSTS[kind.role]) { HOSTS[kind.role](run, el, id, kind, ctx); }
    return ctx;
  }

  function widgetsOf(role) {
    return all(document, ".cg-widget").filter(function (el) {
      return (kinds.get(el.getAttribute("data-cg-kind")) || {}).role === role;
    });
  }

  /** What the learner wrote in this module, in page order: [{prompt, text}], none left empty. */
  function ownWords(run) {
    var part = ROLE_PARTS.private, entries = run.key[part.group], texts = run.state[part.code];
    return widgetsOf("private").map(function (el) { return el.getAttribute("data-cg-id"); }).filter(function (id) {
      return entries[id] && texts[id] && texts[id].trim();
    }).map(function (id) {
      return { prompt: textOf(entries[id].prompt).replace(/\s+/g, " "), text: texts[id] };
    });
  }

  function downloadReflections(run) {
    var lines = [run.t("My reflections") + ": " + run.key.title, ""];
    ownWords(run).forEach(function (r) { lines.push(r.prompt, "", r.text, "", "----", ""); });
    CG.downloadText("reflections-" + run.key.id + ".txt", lines.join("\n"));
  }

  /* -------------------------------------------------------------- pages and summary */

  function goTo(run, index, focus) {
    var pages = run.pages;
    if (index < 0 || index >= pages.length) { return; }
    pages[run.current].hidden = true;
    run.current = index;
    pages[index].hidden = false;
    run.state.loc = index;
    run.state.pages[index] = true;
    run.shownAt = Date.now();
    all(document, "[data-cg-goto]").forEach(function (a) {
      if (parseInt(a.getAttribute("data-cg-goto"), 10) === index) { a.setAttribute("aria-current", "page"); }
      else { a.removeAttribute("aria-current"); }
    });
    all(document, "[data-cg-seen]").forEach(function (s) {
      s.textContent = run.state.pages[parseInt(s.getAttribute("data-cg-seen"), 10)] ? " (" + run.t("Seen") + ")" : "";
    });
    run.progress.textContent = run.t("Page {n} of {total}", { n: index + 1, total: pages.length });
    one(document, "[data-cg-action=prev]").disabled = index === 0;
    one(document, "[data-cg-action=next]").disabled = index === pages.length - 1;
    if (focus) { one(pages[index], "h2").focus(); global.scrollTo(0, 0); }
    persist(run, "page");
  }

  function renderSummary(run, summary) {
    var box = document.getElementById("cg-summary"), t = run.t;
    if (!box) { return; }
    var lines = [t("Pages viewed: {seen} of {total}. Questions answered: {answered} of {questions}.",
      { seen: summary.seen, total: summary.pages, answered: summary.answered, questions: summary.questions })];
    if (summary.complete) {
      lines.push(t("You have finished this module."));
      lines.push(t("Your score: {score}%. Pass mark: {pass}%.", { score: Math.round(summary.score), pass: run.key.passMark }));
      lines.push(summary.passed ? t("You passed.") : t("You have not reached the pass mark yet. You can go back and try again."));
    }
    box.textContent = "";
    lines.forEach(function (line) { var p = document.createElement("p"); p.textContent = line; box.appendChild(p); });
    if (!summary.complete) { box.appendChild(leftToDo(run)); }
  }

  /** What is left before the module is finished, each with a link straight to it. */
  function leftToDo(run) {
    var t = run.t, pages = run.pages, part = ROLE_PARTS.graded;
    var wrap = document.createElement("div");
    var heading = document.createElement("p");
    heading.className = "cg-label";
    heading.id = "cg-left-h";
    heading.textContent = t("Still to do");
    var list = document.createElement("ul");
    list.className = "cg-left";
    list.setAttribute("aria-labelledby", heading.id);
    function item(text, n, target) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + pages[n].id;
      a.textContent = text;
      a.addEventListener("click", function (event) {
        event.preventDefault();
        goTo(run, n, !target);
        if (target) { target.focus(); }
      });
      li.appendChild(a);
      list.appendChild(li);
    }
    function title(n) { return one(pages[n], "h2").textContent.trim(); }
    pages.forEach(function (page, n) {
      if (!run.state.pages[n]) { item(t("Read the page “{title}”", { title: title(n) }), n, null); }
    });
    widgetsOf("graded").forEach(function (widget) {
      var id = widget.getAttribute("data-cg-id"), q = run.key[part.group][id], a = run.state[part.code][id];
      var n = pages.indexOf(widget.closest(".cg-page"));
      if (q && (!a || !a.sel.length) && n >= 0) {
        var prompt = textOf(q.prompt);
        if (prompt.length > 80) { prompt = prompt.slice(0, 79).replace(/\s+\S*$/, "") + "…"; }
        item(t("Answer “{question}” on “{title}”", { question: prompt, title: title(n) }), n, one(widget, "input"));
      }
    });
    wrap.appendChild(heading);
    wrap.appendChild(list);
    return wrap;
  }

  /* ------------------------------------------------------------ the module's controls */

  /** After "Save and exit" (or a page hidden for good): the host takes nothing more, so the
   *  module stops taking input and says so, with a way to close. Nothing can be typed that
   *  would not be kept. */
  function closeModule(run) {
    var t = run.t;
    run.ended = true;
    all(document, ".cg-layout, .cg-pager, .cg-toolbar [data-cg-action=exit], .cg-toolbar [data-cg-action=restart-module], #cg-restart")
      .forEach(function (el) { el.hidden = true; });
    var box = document.getElementById("cg-closed");
    if (!box) {
      box = document.createElement("section");
      box.id = "cg-closed";
      box.className = "cg-closed";
      box.setAttribute("aria-labelledby", "cg-closed-h");
      var h = document.createElement("h2");
      h.id = "cg-closed-h";
      h.tabIndex = -1;
      h.textContent = t("You have left this module");
      var p = document.createElement("p");
      p.textContent = t("Your progress is saved. Nothing more can be entered here. You can close this window. To carry on later, open the module again from your learning system.");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "cg-button cg-primary";
      close.textContent = t("Close this window");
      close.addEventListener("click", function () {
        try { global.top.close(); } catch (e) { /* another origin: the note below says what to do */ }
        global.setTimeout(function () {
          announce(run.status, t("This window could not close itself. Use your learning system's Exit or Back link to leave."));
        }, 400);
      });
      box.appendChild(h);
      box.appendChild(p);
      box.appendChild(close);
      var header = one(document, ".cg-header");
      header.parentNode.insertBefore(box, header.nextSibling);
    }
    box.hidden = false;
    announce(run.status, t("Exited. You can close this window."));
    one(box, "h2").focus();
  }

  function setupPause() {
    var dialog = document.getElementById("cg-pause");
    var backdrop = one(document, ".cg-dialog-backdrop");
    var opener = null;
    function close() {
      dialog.hidden = true; backdrop.hidden = true;
      if (opener) { opener.focus(); }
    }
    all(document, "[data-cg-action=pause]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        opener = event.currentTarget;
        dialog.hidden = false; backdrop.hidden = false;
        one(dialog, "h2").focus();
      });
    });
    one(dialog, "[data-cg-action=resume]").addEventListener("click", close);
    // The panel scrolls under its "Back to the training" bar: bring what has the focus clear of it
    // (scrollIntoView keeps the panel's scroll-padding), not only into the panel's box.
    dialog.addEventListener("focusin", function (event) {
      if (event.target !== dialog) { event.target.scrollIntoView({block: "nearest"}); }
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); return; }
      if (event.key !== "Tab") { return; }
      var focusable = all(dialog, "a[href], button, h2");
      var first = focusable[0], last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
      else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    });
  }

  /** "Start over": after a confirmation, clear this module's answers (reflections stay on the
   *  device), tell the host to end the attempt, and stop: the next launch starts afresh. */
  function setupRestart(run, onEnd) {
    var open = one(document, "[data-cg-action=restart-module]");
    var box = document.getElementById("cg-restart");
    if (!open || !box) { return; }
    open.hidden = false;
    function show(on) {
      box.hidden = !on;
      open.setAttribute("aria-expanded", on ? "true" : "false");
      (on ? one(box, "[data-cg-action=restart-cancel]") : open).focus();
    }
    open.addEventListener("click", function () { show(box.hidden); });
    one(box, "[data-cg-action=restart-cancel]").addEventListener("click", function () { show(false); });
    one(box, "[data-cg-action=restart-confirm]").addEventListener("click", function () {
      run.ended = true;
      onEnd();
      run.local.saveState("");
      run.local.saveOnDevice({});
      run.adapter.exit(true);
      box.hidden = true;
      all(document, ".cg-layout, .cg-pager, .cg-toolbar [data-cg-action=exit], .cg-toolbar [data-cg-action=restart-module]")
        .forEach(function (el) { el.hidden = true; });
      announce(run.status, run.t("Your answers are cleared. Close this window and open the module again to start over."));
      run.status.setAttribute("tabindex", "-1");
      run.status.focus();
    });
  }

  /** "Send my reflections to my learning system": one box under each private widget, all in step. */
  function setupOptIn(run) {
    if (!run.adapter.optIn) { return; }
    widgetsOf("private").forEach(function (widget, n) {
      var row = one(widget, ".cg-actions");
      var label = document.createElement("label");
      label.className = "cg-optin";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "cg-optin-box";
      box.checked = !!run.state.optIn;
      box.id = "cg-optin-" + n;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + run.t("Send my reflections to my learning system (its administrators can read them)")));
      row.parentNode.insertBefore(label, row);
      box.addEventListener("change", function () {
        run.state.optIn = box.checked;
        all(document, ".cg-optin-box").forEach(function (b) { b.checked = run.state.optIn; });
        run.local.saveOptIn(run.state.optIn);
        persist(run, "private");
      });
    });
  }

  /** Previous, next and the contents list. */
  function setupNavigation(run) {
    one(document, "[data-cg-action=prev]").addEventListener("click", function () { goTo(run, run.current - 1, true); });
    one(document, "[data-cg-action=next]").addEventListener("click", function () { goTo(run, run.current + 1, true); });
    all(document, "[data-cg-goto]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        goTo(run, parseInt(a.getAttribute("data-cg-goto"), 10), true);
      });
    });
  }

  /** "Save and exit", "Start over" (hosts that can end a session), and leaving the page: the
   *  state is saved when the page is hidden and the session ended once when it goes. */
  function setupExit(run) {
    var once = false, adapter = run.adapter;
    var exit = one(document, "[data-cg-action=exit]");
    if (adapter.canExit) {
      exit.hidden = false;
      exit.addEventListener("click", function () {
        persist(run, null);
        once = true;
        adapter.exit(false);
        closeModule(run);
      });
      setupRestart(run, function () { once = true; });
    }
    global.addEventListener("pagehide", function () {
      if (!once) { once = true; persist(run, null); adapter.exit(false, true); }
    });
    // Back from the browser's page cache after leaving: the host session is over.
    global.addEventListener("pageshow", function (event) { if (event.persisted && once && !run.ended) { closeModule(run); } });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { persist(run, "hidden"); }
    });
  }

  /** The state to resume from: the host's, merged with the device copy when that is newer (its
   *  last commit failed), else the device copy unless the host says it holds nothing;
   *  reflections kept on the device always come back. */
  function resume(run, start) {
    start = start || {};
    if (start.learner) { run.local = CG.localStore(run.key, start.learner); run.learner = start.learner; }
    var key = run.key, local = run.local;
    var fromLms = start.suspend ? decode(key, start.suspend) : null;
    var fromDevice = decode(key, local.loadState());
    var state = fromLms && start.pending ? merge(fromLms, fromDevice) : fromLms || (start.fresh ? emptyState(key) : fromDevice);
    var texts = state[ROLE_PARTS.private.code], kept = local.loadReflections();
    Object.keys(kept).forEach(function (id) { if (texts[id] === undefined) { texts[id] = kept[id]; } });
    state.optIn = local.loadOptIn() || !!(fromLms && Object.keys(fromLms[ROLE_PARTS.private.code]).length);
    // What the learner kept on this device comes back from it (the host never had it).
    state.onDevice = {};
    var onDevice = local.loadOnDevice();
    stateParts().forEach(function (part) {
      var mine = onDevice[part.code] || {}, entries = key[part.group] || {};
      Object.keys(mine).forEach(function (id) {
        var value = entries[id] && typeof mine[id] === "string" ? decodeItem(part, entries[id], mine[id]) : undefined;
        if (value !== undefined) { state[part.code][id] = value; state.onDevice[id] = true; }
      });
    });
    run.reports = !!start.reports;
    if (start.location && !start.pending) {
      var at = key.pages.indexOf(start.location);
      if (at >= 0) { state.loc = at; }
    }
    run.state = state;
    run.lms = !!start.lms;
    if (start.note) { announce(run.status, run.t(start.note)); }
  }

  /** The contents list starts closed on a narrow screen (it would sit above the page), and
   *  closes again after a page is chosen there. */
  CG.fitContents = function () {
    var details = one(document, ".cg-contents-toggle");
    if (!details || !global.matchMedia) { return; }
    var narrow = global.matchMedia("(max-width: 699.98px)");
    if (narrow.matches) { details.open = false; }
    all(details, "a").forEach(function (a) {
      a.addEventListener("click", function () { if (narrow.matches) { details.open = false; } });
    });
  };

  /** Run a whole module page (SCORM package or preview) with a transport adapter:
   *  adapter.start() -> {suspend, location, note, fresh, pending, learner} or a Promise of it:
   *    suspend: encoded state held by the host; location: page id bookmark; note: message key
   *    to announce; fresh: the host holds nothing, ignore the device copy; pending: the device
   *    copy is newer than the host's (its last commit failed), merge it in; learner: a short
   *    tag that keeps device copies of different learners apart; lms: a learning system holds
   *    the learner's official record (a certificate made here says so); reports: the host reports
   *    answers and the values of kinds that report them (a learner may keep those on the device);
   *  adapter.save(suspendText, location, summary, state) -> bool;
   *  adapter.answer(interaction); adapter.commit(reason) -> bool;
   *  adapter.exit(restart, fromPagehide) -> bool (restart: the learner starts over);
   *  adapter.canExit (shows "Save and exit" and "Start over"); adapter.optIn (reflections may
   *  go to the host); adapter.limit (longest suspendText the host takes); adapter.wholePack
   *  (every module of the pack keeps its progress in this browser, so a module may read when
   *  the others were complete). */
  CG.startShell = function (adapter) {
    var run = newRun(adapter);
    setupPause();             // support at once, even while the adapter looks for an LMS
    Promise.resolve(adapter.start()).then(function (start) {
      resume(run, start);
      run.started = run.local.started(isoDay(new Date()));
      if (run.summary().complete) { run.completed = run.local.completed(isoDay(new Date())); }
      all(document, ".cg-widget").forEach(function (el) { CG.mountWidget(el, widgetContext(run, el)); });
      CG.enhanceTerms(document, run.t);
      CG.enhanceTables(document, run.t);
      CG.fitContents();
      CG.linkCitations(document, run.t, function (target) {
        var n = run.pages.indexOf(target.closest(".cg-page"));
        if (n >= 0 && n !== run.current) { goTo(run, n, false); }
      });
      setupOptIn(run);
      setupNavigation(run);
      setupExit(run);
      run.pages[0].hidden = true;
      run.current = run.state.loc;
      run.pages[run.current].hidden = false;
      // A contents link followed before the shell ran (while the adapter looked for an LMS)
      // changed only the address: open the page it names, the focus on its heading.
      var named = run.pages.indexOf(document.getElementById(global.location.hash.slice(1)));
      goTo(run, named >= 0 ? named : run.current, named >= 0);
      CG.shell = {
        state: function () { return run.state; }, key: run.key, summary: run.summary,
        goTo: function (index, focus) { goTo(run, index, focus); }
      };
    });
  };
})(window);
