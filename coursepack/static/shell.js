/* Common Ground module shell: a whole module page for SCORM packages and the preview site.
 *
 * The one scoring rule (summarise, grade), the compact versioned state codec, the shell (pages,
 * progress, pause, exit, start over, the summary of what is left), the contents list on narrow
 * screens and the device store. It extends the CommonGround global that widgets.js defines and
 * mounts that file's widgets, so widgets.js must be loaded first; the Open edX blocks never load
 * this file. No framework, no network, no eval, no inline handlers: safe under a strict CSP.
 */
(function (global) {
  "use strict";

  var CG = global.CommonGround;
  if (!CG || !CG.mountWidget) { throw new Error("shell.js needs widgets.js, loaded before it"); }
  var all = CG.all, one = CG.one, announce = CG.announce;
  var translator = CG.translator, downloadText = CG.downloadText;
  var STATE_VERSION = "1";

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

  /* ------------------------------------------------------- scoring (one rule) */

  /** The completion rule of coursepack.completion.summarise, applied in the browser. */
  function summarise(key, state) {
    var seen = 0, answered = 0, questions = 0, total = 0, got = 0;
    key.pages.forEach(function (id, i) { if (state.pages[i]) { seen += 1; } });
    Object.keys(key.questions).forEach(function (id) {
      var q = key.questions[id];
      var a = state.q[id];
      questions += 1;
      total += q.weight;
      if (a && a.sel.length) {
        answered += 1;
        if (grade(q, a.sel).correct) { got += q.weight; }
      }
    });
    var score = total ? Math.round(10000 * got / total) / 100 : 100;
    return {
      complete: seen === key.pages.length && answered === questions,
      score: score, passed: score >= key.passMark,
      seen: seen, pages: key.pages.length, answered: answered, questions: questions
    };
  }

  /** The kind's judge (coursepack.elements) in the browser. A choice is right when exactly the
   *  right options are chosen; an order (q.ordered) when every item is in its place, and the
   *  feedback is then for the items out of place. */
  function grade(q, selected) {
    var feedback = {};
    if (q.ordered) {
      var placed = selected.filter(function (id, i) { return q.correct[i] === id; });
      selected.forEach(function (id, i) {
        if (q.options[id] && q.correct[i] !== id) { feedback[id] = q.options[id].feedback; }
      });
      return { correct: placed.length === q.correct.length && selected.length === q.correct.length,
        feedback: feedback, explanation: q.explanation, correctIds: placed };
    }
    var want = q.correct.slice().sort().join(",");
    var got = selected.slice().sort().join(",");
    selected.concat(q.correct).forEach(function (id) { if (q.options[id]) { feedback[id] = q.options[id].feedback; } });
    return { correct: want === got, feedback: feedback, explanation: q.explanation, correctIds: q.correct, answerIds: q.correct };
  }

  CG.summarise = summarise;
  CG.grade = grade;

  /* ----------------------------------------------------------- state codec */

  /* Compact, versioned encoding of a module's learner state (SCORM 1.2 allows 4,096
   * characters of suspend_data for everything). Fields are separated by characters that ids
   * ([a-z0-9-]) never contain; reflection text escapes them. Each element carries its
   * fingerprint: a changed or unknown element is dropped on decode, never re-mapped.
   *   1!<pagesFp>.<pages bit set, hex>!<questions>!<scenarios>!<confidence>!<reflections>
   *   question:   id:fp.sel1,sel2.attempts     scenario: id:fp.choice1,choice2.ended
   *   confidence: id:fp.ratings (one digit or letter per statement)   reflection: id:text */
  function escapeText(text) {
    return text.replace(/[%!;:]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); });
  }
  function unescapeText(text) {
    return text.replace(/%(21|25|3A|3B)/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); });
  }

  function emptyState(key) {
    return { pages: key.pages.map(function () { return false; }), loc: 0, q: {}, s: {}, c: {}, r: {} };
  }

  function encode(key, state, withReflections) {
    var bits = "";
    for (var i = 0; i < key.pages.length; i += 4) {
      var nibble = 0;
      for (var b = 0; b < 4; b += 1) { if (state.pages[i + b]) { nibble |= 1 << b; } }
      bits += nibble.toString(16);
    }
    var q = Object.keys(state.q).filter(function (id) { return key.questions[id]; }).map(function (id) {
      var a = state.q[id];
      return id + ":" + key.questions[id].fp + "." + a.sel.join(",") + "." + (a.n || 0);
    });
    var s = Object.keys(state.s).filter(function (id) { return key.scenarios[id]; }).map(function (id) {
      var a = state.s[id];
      return id + ":" + key.scenarios[id].fp + "." + a.path.join(",") + "." + (a.ended ? 1 : 0);
    });
    var c = Object.keys(state.c).filter(function (id) { return key.confidence[id]; }).map(function (id) {
      var k = key.confidence[id];
      return id + ":" + k.fp + "." + k.statements.map(function (sid) {
        var v = state.c[id][sid];
        return v ? v.toString(36) : "0";
      }).join("");
    });
    var r = !withReflections ? [] : Object.keys(state.r).filter(function (id) {
      return key.reflections[id] && state.r[id];
    }).map(function (id) { return id + ":" + escapeText(state.r[id]); });
    return [STATE_VERSION, key.pagesFp + "." + bits + "." + (state.loc || 0),
      q.join(";"), s.join(";"), c.join(";"), r.join(";")].join("!");
  }

  function decode(key, text) {
    var state = emptyState(key);
    if (!text || typeof text !== "string") { return state; }
    var parts = text.split("!");
    if (parts[0] !== STATE_VERSION || parts.length < 6) { return state; }
    var head = parts[1].split(".");
    if (head[0] === key.pagesFp) {
      for (var i = 0; i < key.pages.length; i += 1) {
        var nibble = parseInt(head[1].charAt(i >> 2) || "0", 16);
        state.pages[i] = !!(nibble & (1 << (i & 3)));
      }
      var loc = parseInt(head[2], 10);
      state.loc = loc >= 0 && loc < key.pages.length ? loc : 0;
    }
    function items(field, each) {
      (field ? field.split(";") : []).forEach(function (item) {
        var colon = item.indexOf(":");
        if (colon > 0) { each(item.slice(0, colon), item.slice(colon + 1)); }
      });
    }
    items(parts[2], function (id, rest) {
      var k = key.questions[id], f = rest.split(".");
      if (!k || f[0] !== k.fp) { return; }
      var sel = f[1] ? f[1].split(",").filter(function (o) { return k.options[o]; }) : [];
      if (sel.length) { state.q[id] = { sel: sel, n: parseInt(f[2], 10) || 1 }; }
    });
    items(parts[3], function (id, rest) {
      var k = key.scenarios[id], f = rest.split(".");
      if (!k || f[0] !== k.fp) { return; }
      state.s[id] = { path: f[1] ? f[1].split(",") : [], ended: f[2] === "1" };
    });
    items(parts[4], function (id, rest) {
      var k = key.confidence[id], f = rest.split(".");
      if (!k || f[0] !== k.fp || !f[1] || f[1].length !== k.statements.length) { return; }
      var ratings = {};
      k.statements.forEach(function (sid, n) {
        var v = parseInt(f[1].charAt(n), 36);
        if (v > 0) { ratings[sid] = v; }
      });
      state.c[id] = ratings;
    });
    items(parts[5], function (id, rest) {
      if (key.reflections[id]) { state.r[id] = unescapeText(rest).slice(0, key.reflections[id].max); }
    });
    return state;
  }

  /** Union of two decoded states of one module, for a device copy the LMS never received:
   *  nothing either holds is lost (pages seen, the answer with more attempts, the longer or
   *  ended scenario path, ratings and reflections it lacks); the place is the device's (newer). */
  function merge(lms, device) {
    var out = { pages: lms.pages.map(function (seen, i) { return seen || !!device.pages[i]; }),
      loc: device.loc, q: {}, s: {}, c: {}, r: {} };
    ["q", "s", "c", "r"].forEach(function (part) {
      Object.keys(lms[part]).forEach(function (id) { out[part][id] = lms[part][id]; });
      Object.keys(device[part]).forEach(function (id) {
        var a = out[part][id], b = device[part][id];
        if (a === undefined ||
            (part === "q" && (b.n || 0) > (a.n || 0)) ||
            (part === "s" && ((b.ended && !a.ended) || (b.ended === a.ended && b.path.length > a.path.length)))) {
          out[part][id] = b;
        }
      });
    });
    return out;
  }

  CG.state = { encode: encode, decode: decode, empty: emptyState, merge: merge, version: STATE_VERSION };

  /* ------------------------------------------------------------ the shell */

  /** Run a whole module page (SCORM package or preview) with a transport adapter:
   *  adapter.start() -> {suspend, location, note, fresh, pending, learner} or a Promise of it:
   *    suspend: encoded state held by the host; location: page id bookmark; note: message key
   *    to announce; fresh: the host holds nothing, ignore the device copy; pending: the device
   *    copy is newer than the host's (its last commit failed), merge it in; learner: a short
   *    tag that keeps device copies of different learners apart;
   *  adapter.save(suspendText, location, summary, state) -> bool;
   *  adapter.answer(interaction); adapter.commit(reason) -> bool;
   *  adapter.exit(restart, fromPagehide) -> bool (restart: the learner starts over);
   *  adapter.canExit (shows "Save and exit" and "Start over"); adapter.optIn (reflections may
   *  go to the host); adapter.limit (longest suspendText the host takes). */
  CG.startShell = function (adapter) {
    var data = JSON.parse(document.getElementById("cg-data").textContent);
    var key = data.module;
    var t = translator(data.strings);
    var pages = all(document, ".cg-page");
    var status = document.getElementById("cg-status");
    var progress = document.getElementById("cg-progress");
    var state = emptyState(key);
    var current = 0;
    var local = CG.localStore(key);
    var ended = false, tooLong = false, warned = false;

    function persist(reason) {
      var summary = summarise(key, state);
      if (ended) { return summary; }
      var text = encode(key, state, !!state.optIn);
      if (state.optIn && adapter.limit && text.length > adapter.limit) {
        // Too long for this host with the reflections: send the rest, keep them on the device.
        text = encode(key, state, false);
        if (!tooLong) { announce(status, t("Your reflections are too long to send to your learning system, so they stay on this device. You can download them.")); }
        tooLong = true;
      } else { tooLong = false; }
      local.saveState(text);
      var ok = adapter.save(text, key.pages[current], summary, state);
      if (reason) { ok = adapter.commit(reason) && ok; }
      warn(ok);
      renderSummary(summary);
      return summary;
    }

    /** The one warning: status, score or progress did not reach the host (the adapter's save or
     *  commit said false). It stays until a later save and commit both succeed, then it goes. */
    function warn(ok) {
      if (ok === false) {
        warned = true;
        announce(status, t("Saving to your learning system did not work. Your answers are kept here and will be sent again."));
      } else if (warned && ok === true) {
        warned = false;
        announce(status, t("Saved to your learning system."));
      }
    }

    /** After "Save and exit" (or a page hidden for good): the host takes nothing more, so the
     *  module stops taking input and says so, with a way to close. Nothing can be typed that
     *  would not be kept. */
    function closeModule() {
      ended = true;
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
            announce(status, t("This window could not close itself. Use your learning system's Exit or Back link to leave."));
          }, 400);
        });
        box.appendChild(h);
        box.appendChild(p);
        box.appendChild(close);
        var header = one(document, ".cg-header");
        header.parentNode.insertBefore(box, header.nextSibling);
      }
      box.hidden = false;
      announce(status, t("Exited. You can close this window."));
      one(box, "h2").focus();
    }

    function renderSummary(summary) {
      var box = document.getElementById("cg-summary");
      if (!box) { return; }
      var lines = [t("Pages viewed: {seen} of {total}. Questions answered: {answered} of {questions}.",
        { seen: summary.seen, total: summary.pages, answered: summary.answered, questions: summary.questions })];
      if (summary.complete) {
        lines.push(t("You have finished this module."));
        lines.push(t("Your score: {score}%. Pass mark: {pass}%.", { score: Math.round(summary.score), pass: key.passMark }));
        lines.push(summary.passed ? t("You passed.") : t("You have not reached the pass mark yet. You can go back and try again."));
      }
      box.textContent = "";
      lines.forEach(function (line) { var p = document.createElement("p"); p.textContent = line; box.appendChild(p); });
      if (!summary.complete) { box.appendChild(leftToDo()); }
    }

    /** What is left before the module is finished, each with a link straight to it. */
    function leftToDo() {
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
          goTo(n, !target);
          if (target) { target.focus(); }
        });
        li.appendChild(a);
        list.appendChild(li);
      }
      function title(n) { return one(pages[n], "h2").textContent.trim(); }
      pages.forEach(function (page, n) {
        if (!state.pages[n]) { item(t("Read the page “{title}”", { title: title(n) }), n, null); }
      });
      all(document, ".cg-question").forEach(function (widget) {
        var id = widget.getAttribute("data-cg-id");
        var a = state.q[id];
        var n = pages.indexOf(widget.closest(".cg-page"));
        if (key.questions[id] && (!a || !a.sel.length) && n >= 0) {
          var prompt = textOf(key.questions[id].prompt);
          if (prompt.length > 80) { prompt = prompt.slice(0, 79).replace(/\s+\S*$/, "") + "…"; }
          item(t("Answer “{question}” on “{title}”", { question: prompt, title: title(n) }), n, one(widget, "input"));
        }
      });
      wrap.appendChild(heading);
      wrap.appendChild(list);
      return wrap;
    }

    function goTo(index, focus) {
      if (index < 0 || index >= pages.length) { return; }
      pages[current].hidden = true;
      current = index;
      pages[current].hidden = false;
      state.loc = current;
      state.pages[current] = true;
      pageShownAt = Date.now();
      all(document, "[data-cg-goto]").forEach(function (a) {
        if (parseInt(a.getAttribute("data-cg-goto"), 10) === current) { a.setAttribute("aria-current", "page"); }
        else { a.removeAttribute("aria-current"); }
      });
      all(document, "[data-cg-seen]").forEach(function (s) {
        s.textContent = state.pages[parseInt(s.getAttribute("data-cg-seen"), 10)] ? " (" + t("Seen") + ")" : "";
      });
      progress.textContent = t("Page {n} of {total}", { n: current + 1, total: pages.length });
      one(document, "[data-cg-action=prev]").disabled = current === 0;
      one(document, "[data-cg-action=next]").disabled = current === pages.length - 1;
      if (focus) { one(pages[current], "h2").focus(); global.scrollTo(0, 0); }
      persist("page");
    }

    function widgetContext(el) {
      var id = el.getAttribute("data-cg-id");
      var kind = el.getAttribute("data-cg-kind");
      var ctx = { t: t, emit: function () {}, state: null };
      if (key.questions[id]) {        // a knowledge check of any graded kind
        var q = key.questions[id];
        var started = 0;
        var saved = state.q[id];
        if (saved) {
          var r = grade(q, saved.sel);
          r.attemptsLeft = q.attempts ? Math.max(q.attempts - saved.n, 0) : -1;
          ctx.state = { selected: saved.sel, result: r };
        }
        ctx.submit = function (payload) {
          var prev = state.q[id];
          var used = (prev ? prev.n : 0);
          if (q.attempts && used >= q.attempts) { return Promise.reject(new Error(t("No attempts left."))); }
          var result = grade(q, payload.selected);
          state.q[id] = { sel: payload.selected.slice(), n: used + 1 };
          result.attemptsLeft = q.attempts ? Math.max(q.attempts - used - 1, 0) : -1;
          adapter.answer({
            id: id, type: q.type, selected: payload.selected, correct: q.correct, result: result.correct,
            latencyMs: Date.now() - (started || pageShownAt), weight: q.weight,
            description: textOf(q.prompt)
          });
          persist("answer");
          return Promise.resolve(result);
        };
      } else if (key.reflections[id]) {   // reflections, and the private templates kept with them
        if (state.r[id] !== undefined) { ctx.state = { text: state.r[id] }; }
        ctx.draft = function (text) { state.r[id] = text; local.saveReflections(state.r); };
        ctx.save = function (payload) {
          state.r[id] = payload.text;
          local.saveReflections(state.r);
          if (state.optIn) { persist("reflection"); }
          return Promise.resolve({});
        };
        ctx.download = downloadReflections;
      } else if (kind === "scenario") {
        if (state.s[id]) { ctx.state = state.s[id]; }
        ctx.save = function (payload) { state.s[id] = payload; persist(payload.ended ? "scenario" : null); return Promise.resolve({}); };
      } else if (kind === "confidence") {
        var after = el.getAttribute("data-cg-after");
        if (state.c[id]) { ctx.state = { ratings: state.c[id], before: after ? state.c[after] : null }; }
        ctx.save = function (payload) {
          state.c[id] = payload.ratings;
          persist("rating");
          return Promise.resolve({ before: after ? state.c[after] : null });
        };
      }
      return ctx;
    }

    function textOf(html) {
      var tpl = document.createElement("template");
      tpl.innerHTML = html;
      return tpl.content.textContent.trim();
    }

    function downloadReflections() {
      var lines = [t("My reflections") + ": " + key.title, ""];
      Object.keys(key.reflections).forEach(function (id) {
        if (state.r[id]) { lines.push(textOf(key.reflections[id].prompt), "", state.r[id], "", "----", ""); }
      });
      downloadText("reflections-" + key.id + ".txt", lines.join("\n"));
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
    function setupRestart(onEnd) {
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
        ended = true;
        onEnd();
        local.saveState("");
        adapter.exit(true);
        box.hidden = true;
        all(document, ".cg-layout, .cg-pager, .cg-toolbar [data-cg-action=exit], .cg-toolbar [data-cg-action=restart-module]")
          .forEach(function (el) { el.hidden = true; });
        announce(status, t("Your answers are cleared. Close this window and open the module again to start over."));
        status.setAttribute("tabindex", "-1");
        status.focus();
      });
    }

    function setupOptIn() {
      if (!adapter.optIn) { return; }
      all(document, ".cg-reflection .cg-actions, .cg-share .cg-actions").forEach(function (row, n) {
        var label = document.createElement("label");
        label.className = "cg-optin";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.className = "cg-optin-box";
        box.checked = !!state.optIn;
        box.id = "cg-optin-" + n;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + t("Send my reflections to my learning system (its administrators can read them)")));
        row.parentNode.insertBefore(label, row);
        box.addEventListener("change", function () {
          state.optIn = box.checked;
          all(document, ".cg-optin-box").forEach(function (b) { b.checked = state.optIn; });
          local.saveOptIn(state.optIn);
          persist("reflection");
        });
      });
    }

    var pageShownAt = Date.now();
    setupPause();             // support at once, even while the adapter looks for an LMS
    Promise.resolve(adapter.start()).then(function (start) {
      if (start && start.learner) { local = CG.localStore(key, start.learner); }
      var fromLms = start && start.suspend ? decode(key, start.suspend) : null;
      var fromDevice = decode(key, local.loadState());
      if (fromLms && start.pending) { state = merge(fromLms, fromDevice); }
      else { state = fromLms || (start && start.fresh ? emptyState(key) : fromDevice); }
      var reflections = local.loadReflections();
      Object.keys(reflections).forEach(function (id) { if (state.r[id] === undefined) { state.r[id] = reflections[id]; } });
      state.optIn = local.loadOptIn() || !!(fromLms && Object.keys(fromLms.r).length);
      if (start && start.location && !start.pending) {
        var at = key.pages.indexOf(start.location);
        if (at >= 0) { state.loc = at; }
      }
      if (start && start.note) { announce(status, t(start.note)); }
      all(document, ".cg-widget").forEach(function (el) { CG.mountWidget(el, widgetContext(el)); });
      CG.enhanceTerms(document, t);
      CG.enhanceTables(document, t);
      CG.fitContents();
      CG.linkCitations(document, t, function (target) {
        var n = pages.indexOf(target.closest(".cg-page"));
        if (n >= 0 && n !== current) { goTo(n, false); }
      });
      setupOptIn();
      one(document, "[data-cg-action=prev]").addEventListener("click", function () { goTo(current - 1, true); });
      one(document, "[data-cg-action=next]").addEventListener("click", function () { goTo(current + 1, true); });
      all(document, "[data-cg-goto]").forEach(function (a) {
        a.addEventListener("click", function (event) {
          event.preventDefault();
          goTo(parseInt(a.getAttribute("data-cg-goto"), 10), true);
        });
      });
      var once = false;
      var exit = one(document, "[data-cg-action=exit]");
      if (adapter.canExit) {
        exit.hidden = false;
        exit.addEventListener("click", function () {
          persist(null);
          once = true;
          adapter.exit(false);
          closeModule();
        });
        setupRestart(function () { once = true; });
      }
      function leave() { if (!once) { once = true; persist(null); adapter.exit(false, true); } }
      global.addEventListener("pagehide", leave);
      // Back from the browser's page cache after leaving: the host session is over.
      global.addEventListener("pageshow", function (event) { if (event.persisted && once && !ended) { closeModule(); } });
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") { persist("hidden"); }
      });
      pages[0].hidden = true;
      current = state.loc;
      pages[current].hidden = false;
      // A contents link followed before the shell ran (while the adapter looked for an LMS)
      // changed only the address: open the page it names, the focus on its heading.
      var named = pages.indexOf(document.getElementById(global.location.hash.slice(1)));
      goTo(named >= 0 ? named : current, named >= 0);
      CG.shell = { state: function () { return state; }, key: key, goTo: goTo, summary: function () { return summarise(key, state); } };
    });
  };

  /** Device storage for the shell: state backup and reflections (which never leave the device
   *  unless the learner opts in). Falls back to memory where storage is blocked. ``scope``
   *  (optional) keeps the copies of different learners on one device apart. */
  CG.localStore = function (key, scope) {
    var memory = {};
    var prefix = "commonground:" + key.id + ":" + (scope ? scope + ":" : "");
    function get(name) {
      try { return global.localStorage.getItem(prefix + name); } catch (e) { return memory[name] || null; }
    }
    function set(name, value) {
      try { global.localStorage.setItem(prefix + name, value); } catch (e) { memory[name] = value; }
    }
    return {
      loadState: function () { return get("state"); },
      saveState: function (text) { set("state", text); },
      loadReflections: function () { try { return JSON.parse(get("reflections") || "{}") || {}; } catch (e) { return {}; } },
      saveReflections: function (r) { set("reflections", JSON.stringify(r)); },
      loadOptIn: function () { return get("optin") === "1"; },
      saveOptIn: function (on) { set("optin", on ? "1" : "0"); }
    };
  };
})(window);
