/* Common Ground learner player: widgets, the module shell and the compact state codec.
 *
 * One file for every delivery. Widgets (question, reflection, scenario, confidence) read their
 * saved state from a host `ctx` and report through it; the host is an XBlock (one widget per
 * block, state through JSON handlers) or the module shell (SCORM or standalone adapter). No
 * framework, no network, no eval, no inline handlers: safe under a strict CSP.
 */
(function (global) {
  "use strict";

  var CG = global.CommonGround = global.CommonGround || {};
  var STATE_VERSION = "1";

  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function one(root, selector) { return root.querySelector(selector); }

  function format(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) {
      return values && values[k] !== undefined ? values[k] : m;
    });
  }

  function translator(strings) {
    return function (key, values) { return format((strings && strings[key]) || key, values); };
  }

  /* Author HTML reaching the player was sanitised at build time (coursepack.markdown_html);
   * it is parsed here with a <template>, which runs no script, then adopted. */
  function setHtml(el, html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html || "";
    el.textContent = "";
    el.appendChild(tpl.content);
  }

  function announce(region, text) {
    region.textContent = "";
    // A fresh text node after clearing makes screen readers announce repeated messages too.
    global.setTimeout(function () { region.textContent = text; }, 30);
  }

  function downloadText(filename, text) {
    var blob = new Blob([text], { type: "text/plain;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    global.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  /* ------------------------------------------------------------------ widgets */

  var widgets = {};

  widgets.question = function (el, ctx) {
    var region = one(el, ".cg-feedback");
    var inputs = all(el, "input");
    var maxAttempts = parseInt(el.getAttribute("data-cg-attempts"), 10) || 0;

    function selected() {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }

    /* The options the learner should see marked right: the ones they chose that are right;
     * after a wrong multiple-answer attempt also the right ones they missed; once the last
     * attempt is used, the whole right answer. ``answerIds`` is the right answer when the host
     * gives it out (the shell always; an XBlock may keep it back). */
    function marks(result, locked) {
      var answer = result.answerIds || null;
      var reveal = answer && !result.correct && (locked || el.getAttribute("data-cg-type") === "multiple");
      return { right: reveal ? answer : (result.correctIds || []), missed: reveal, final: answer && locked && !result.correct };
    }

    function show(result, selection, quiet) {
      var locked = result.correct || result.attemptsLeft === 0;
      var m = marks(result, locked);
      var answerTexts = [];
      inputs.forEach(function (input) {
        input.checked = selection.indexOf(input.value) >= 0;
        var li = input.closest(".cg-option");
        var fb = one(li, ".cg-option-feedback");
        var note = one(li, ".cg-option-note");
        var chosen = input.checked;
        var right = m.right.indexOf(input.value) >= 0;
        var missed = !chosen && right && m.missed;
        li.classList.toggle("cg-chosen", chosen);
        li.classList.toggle("cg-right", chosen && right);
        li.classList.toggle("cg-wrong", chosen && !right);
        li.classList.toggle("cg-missed", missed);
        if (note) { note.textContent = missed ? ctx.t("You did not choose this one, but it is right.") : ""; note.hidden = !missed; }
        if (right && m.final) { answerTexts.push(one(li, "label").textContent.trim()); }
        var html = (chosen || missed) && result.feedback ? result.feedback[input.value] : "";
        fb.hidden = !html;
        setHtml(fb, html || "");
      });
      verdict(el, ctx, result, quiet, answerTexts);
      inputs.forEach(function (i) { i.disabled = locked; });
    }

    onSubmit(el, ctx, function () {
      var choice = selected();
      if (!choice.length) { announce(region, ctx.t("Choose an answer first.")); }
      return choice.length ? choice : null;
    }, show);

    if (ctx.state && ctx.state.result) { show(ctx.state.result, ctx.state.selected || [], true); }
    return { maxAttempts: maxAttempts };
  };

  function attemptsText(ctx, result) {
    var left = result.attemptsLeft;
    if (result.correct || left < 0) { return ""; }
    if (left === 0) { return ctx.t("No attempts left."); }
    // one text per count, in the right plural form, from the host (coursepack.render.strings)
    return ctx.t("{n} attempts left.|" + left, { n: left });
  }

  /** A knowledge check's verdict, the right answer once it is given (``answerTexts``), the
   *  explanation and the attempts left (any graded kind); whether the answer is now final. */
  function verdict(el, ctx, result, quiet, answerTexts) {
    var region = one(el, ".cg-feedback");
    var box = document.createElement("div");
    var p = document.createElement("p");
    p.className = "cg-verdict";
    // null: the course keeps correctness back (Open edX show_correctness), so say only that it is kept
    p.textContent = result.correct === null ? ctx.t("Answer saved.") : result.correct ? ctx.t("Correct.") : ctx.t("Not quite.");
    box.appendChild(p);
    if (answerTexts && answerTexts.length) {
      var a = document.createElement("p");
      a.className = "cg-answer";
      a.textContent = ctx.t("The right answer: {answer}", { answer: answerTexts.join("; ") });
      box.appendChild(a);
    }
    if (result.explanation) {
      var ex = document.createElement("div");
      ex.className = "cg-explanation";
      setHtml(ex, result.explanation);
      box.appendChild(ex);
    }
    region.textContent = "";
    if (quiet) { region.appendChild(box); } else {
      global.setTimeout(function () { region.appendChild(box); }, 30);
    }
    var left = result.attemptsLeft;
    var locked = result.correct || left === 0;
    one(el, "form button[type=submit]").disabled = locked;
    one(el, ".cg-attempts").textContent = attemptsText(ctx, result);
    return locked;
  }

  /** Send a knowledge check's answer (``answer()``: the answer, or null when there is none yet)
   *  and show the host's verdict with ``show(result, answer)``. */
  function onSubmit(el, ctx, answer, show) {
    var form = one(el, "form");
    var button = one(form, "button[type=submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var given = answer();
      if (!given) { return; }
      button.disabled = true;
      ctx.submit({ selected: given }).then(function (result) {
        button.disabled = false;
        show(result, given, false);
        ctx.emit("answered", { id: el.getAttribute("data-cg-id"), correct: result.correct, selected: given });
      }, function (error) {
        button.disabled = false;
        announce(one(el, ".cg-feedback"), ctx.t("Not saved: {reason}", { reason: error && error.message || String(error) }));
      });
    });
  }

  /** Put in order: "Move up" and "Move down" buttons move an item (no dragging), the new place is
   *  announced and focus stays on the item's button; the answer is the order of the item ids. */
  widgets.order = function (el, ctx) {
    var list = one(el, ".cg-order-items");
    var moved = one(el, ".cg-order-moved");
    var locked = false;

    function items() { return all(list, ".cg-order-item"); }
    function order() { return items().map(function (li) { return li.getAttribute("data-cg-option"); }); }
    function refresh() {
      var lis = items();
      lis.forEach(function (li, i) {
        one(li, "[data-cg-move=up]").disabled = locked || i === 0;
        one(li, "[data-cg-move=down]").disabled = locked || i === lis.length - 1;
      });
    }
    function clearMarks() {
      items().forEach(function (li) {
        li.classList.remove("cg-right", "cg-wrong");
        one(li, ".cg-order-mark").textContent = "";
        one(li, ".cg-option-feedback").hidden = true;
      });
    }
    function move(li, step) {
      var lis = items(), to = lis.indexOf(li) + step;
      if (to < 0 || to >= lis.length) { return; }
      if (step < 0) { list.insertBefore(li, lis[to]); } else { list.insertBefore(lis[to], li); }
      clearMarks();
      refresh();
      var button = one(li, "[data-cg-move=" + (step < 0 ? "up" : "down") + "]");
      if (button.disabled) { button = one(li, "[data-cg-move=" + (step < 0 ? "down" : "up") + "]"); }
      button.focus();
      announce(moved, ctx.t("{item}: now {n} of {total}.", {
        item: one(li, ".cg-order-text").textContent.trim(), n: to + 1, total: lis.length }));
    }
    function show(result, answer, quiet) {
      answer.forEach(function (id) {
        var li = items().filter(function (x) { return x.getAttribute("data-cg-option") === id; })[0];
        if (li) { list.appendChild(li); }
      });
      items().forEach(function (li) {
        var id = li.getAttribute("data-cg-option");
        var right = (result.correctIds || []).indexOf(id) >= 0;
        li.classList.toggle("cg-right", right);
        li.classList.toggle("cg-wrong", !right);
        one(li, ".cg-order-mark").textContent = right ? ctx.t("In the right place.") : ctx.t("Not in the right place.");
        var fb = one(li, ".cg-option-feedback");
        var html = result.feedback ? result.feedback[id] : "";
        fb.hidden = !html;
        setHtml(fb, html || "");
      });
      locked = verdict(el, ctx, result, quiet);
      refresh();
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-cg-move]");
      if (button && !button.disabled) {
        move(button.closest(".cg-order-item"), button.getAttribute("data-cg-move") === "up" ? -1 : 1);
      }
    });
    onSubmit(el, ctx, order, show);
    if (ctx.state && ctx.state.result) { show(ctx.state.result, ctx.state.selected || [], true); }
    refresh();
    return {};
  };

  widgets.reflection = function (el, ctx) {
    var area = one(el, "textarea");
    var count = one(el, ".cg-count");
    var region = one(el, ".cg-feedback");
    var max = parseInt(el.getAttribute("data-cg-max"), 10) || 2000;
    var lastSaved = null;

    function updateCount() {
      count.textContent = ctx.t("{used} of {max} characters", { used: area.value.length, max: max });
    }
    function save(quiet) {
      if (area.value === lastSaved) { if (!quiet) { announce(region, ctx.t("Saved.")); } return; }
      var text = area.value.slice(0, max);
      ctx.save({ text: text }).then(function () {
        lastSaved = text;
        if (!quiet) { announce(region, ctx.t("Saved.")); }
        ctx.emit("reflected", { id: el.getAttribute("data-cg-id") });
      }, function (error) {
        announce(region, ctx.t("Not saved: {reason}", { reason: error && error.message || String(error) }));
      });
    }
    if (ctx.state && typeof ctx.state.text === "string") { area.value = ctx.state.text; lastSaved = area.value; }
    updateCount();
    area.addEventListener("input", function () { updateCount(); if (ctx.draft) { ctx.draft(area.value); } });
    area.addEventListener("change", function () { save(true); });
    one(el, "[data-cg-action=save]").addEventListener("click", function () { save(false); });
    one(el, "[data-cg-action=download]").addEventListener("click", function () { ctx.download(); });
    return {};
  };

  /* A scenario shows one step at a time. A choice's feedback is shown once, under the choice;
   * "Continue" takes focus and is described by it, so a screen reader reads it once too. An
   * ending shows the path taken (each step and the choice made there). */
  widgets.scenario = function (el, ctx) {
    var steps = all(el, ".cg-step");
    var cont = one(el, "[data-cg-action=continue]");
    var state = { path: [], ended: false };
    var pending = null;

    function stepEl(id) {
      return steps.filter(function (s) { return s.getAttribute("data-cg-step") === id; })[0];
    }
    function choiceEl(choiceId) { return one(el, '[data-cg-choice="' + choiceId + '"]'); }
    function currentId() {
      var id = el.getAttribute("data-cg-start");
      state.path.forEach(function (choiceId) {
        var button = choiceEl(choiceId);
        if (button) { id = button.getAttribute("data-cg-target"); }
      });
      return id;
    }
    function showPath(step) {
      var list = one(step, ".cg-path ol");
      if (!list) { return; }
      list.textContent = "";
      state.path.forEach(function (choiceId) {
        var button = choiceEl(choiceId);
        if (!button) { return; }
        var li = document.createElement("li");
        var from = document.createElement("strong");
        from.textContent = one(button.closest(".cg-step"), "h4").textContent.trim() + ": ";
        li.appendChild(from);
        li.appendChild(document.createTextNode(button.textContent.trim()));
        list.appendChild(li);
      });
    }
    function render(focus) {
      var id = currentId();
      steps.forEach(function (s) { s.hidden = s.getAttribute("data-cg-step") !== id; });
      all(el, ".cg-choice-feedback").forEach(function (f) { f.hidden = true; });
      all(el, ".cg-choice").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-pressed"); });
      cont.hidden = true;
      cont.removeAttribute("aria-describedby");
      pending = null;
      var step = stepEl(id);
      if (focus && step) { one(step, "h4").focus(); }
      if (step && step.getAttribute("data-cg-ending")) {
        showPath(step);
        if (!state.ended) {
          state.ended = true;
          ctx.save({ path: state.path.slice(), ended: true });
          ctx.emit("scenario-ended", { id: el.getAttribute("data-cg-id"), ending: id });
        }
      }
    }
    all(el, ".cg-choice").forEach(function (button) {
      button.addEventListener("click", function () {
        var step = button.closest(".cg-step");
        all(step, ".cg-choice").forEach(function (b) { b.disabled = b !== button; });
        button.setAttribute("aria-pressed", "true");
        var fb = one(step, '[data-cg-feedback="' + button.getAttribute("data-cg-choice") + '"]');
        fb.hidden = false;
        pending = button.getAttribute("data-cg-choice");
        cont.setAttribute("aria-describedby", fb.id);
        cont.hidden = false;
        cont.focus();
      });
    });
    cont.addEventListener("click", function () {
      if (!pending) { return; }
      state.path.push(pending);
      ctx.save({ path: state.path.slice(), ended: false });
      render(true);
    });
    all(el, "[data-cg-action=restart]").forEach(function (b) {
      b.addEventListener("click", function () {
        state = { path: [], ended: false };
        ctx.save({ path: [], ended: false });
        render(true);
      });
    });
    if (ctx.state && ctx.state.path) { state = { path: ctx.state.path.slice(), ended: !!ctx.state.ended }; }
    render(false);
    return {};
  };

  widgets.confidence = function (el, ctx) {
    var form = one(el, "form");
    var region = one(el, ".cg-feedback");
    var sets = all(el, ".cg-rating");

    function ratings() {
      var out = {};
      sets.forEach(function (fs) {
        var checked = one(fs, "input:checked");
        if (checked) { out[fs.getAttribute("data-cg-statement")] = parseInt(checked.value, 10); }
      });
      return out;
    }
    function showChange(before, now) {
      sets.forEach(function (fs) {
        var id = fs.getAttribute("data-cg-statement");
        var note = one(fs, ".cg-change");
        if (before && before[id] && now[id]) {
          note.textContent = ctx.t("Before: {before}. Now: {after}.", { before: before[id], after: now[id] });
          note.hidden = false;
        }
      });
    }
    function restore(r) {
      sets.forEach(function (fs) {
        var v = r[fs.getAttribute("data-cg-statement")];
        all(fs, "input").forEach(function (i) { i.checked = parseInt(i.value, 10) === v; });
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var r = ratings();
      if (Object.keys(r).length < sets.length) { announce(region, ctx.t("Rate every statement first.")); return; }
      ctx.save({ ratings: r }).then(function (reply) {
        announce(region, ctx.t("Your ratings are saved."));
        showChange(reply && reply.before, r);
        ctx.emit("rated", { id: el.getAttribute("data-cg-id") });
      }, function (error) {
        announce(region, ctx.t("Not saved: {reason}", { reason: error && error.message || String(error) }));
      });
    });
    if (ctx.state && ctx.state.ratings) {
      restore(ctx.state.ratings);
      showChange(ctx.state.before, ctx.state.ratings);
    }
    return {};
  };

  /** Learning review / joint feedback (coursepack.elements.share): a form whose texts are
   *  checked for likely identifiers (refused, naming the field and line; the text is kept) and
   *  blame-laden phrasing (a gentle prompt, never a refusal), with the rules of
   *  coursepack/sharing/rules.yml carried in data-cg-rules. The host sends the values
   *  (ctx.share, Open edX) or keeps them as labelled text with the reflections (ctx.save). */
  widgets.share = function (el, ctx) {
    var form = one(el, "form");
    var region = one(el, ".cg-feedback");
    var confirm = one(form, "input[name=confirm]");
    var fields = all(form, ".cg-field");
    var rules = JSON.parse(el.getAttribute("data-cg-rules") || "{}");
    var editing = null;

    function compile(list) {
      return (list || []).map(function (r) { return { rule: r, re: new RegExp(r.match, r.flags) }; });
    }
    var identifiers = compile(rules.identifiers), blame = compile(rules.noBlame);

    function label(f) { return f.getAttribute("data-cg-label"); }
    function value(f) {
      if (f.getAttribute("data-cg-type") === "choice") {
        var on = one(f, "input:checked");
        return on ? on.value : "";
      }
      return one(f, "textarea, input").value.trim();
    }
    function setValue(f, v) {
      if (f.getAttribute("data-cg-type") === "choice") {
        all(f, "input").forEach(function (i) { i.checked = i.value === v; });
      } else { one(f, "textarea, input").value = v || ""; }
    }
    function values() {
      var out = {};
      fields.forEach(function (f) { out[f.getAttribute("data-cg-field")] = value(f); });
      return out;
    }
    /** [{line, why}] for a text: the first rule naming each stretch, as coursepack.sharing does. */
    function findIdentifiers(text) {
      var found = [];
      text.split(/\r\n|\r|\n/).forEach(function (line, n) {
        identifiers.forEach(function (r) {
          r.re.lastIndex = 0;
          if (r.re.test(line)) {
            found.push({ line: n + 1, why: ctx.t(r.rule.why) });
            r.re.lastIndex = 0;
            line = line.replace(r.re, " ");
          }
        });
      });
      return found;
    }
    function prompts(text) {
      var found = [];
      blame.forEach(function (r) {
        r.re.lastIndex = 0;
        var m = r.re.exec(text);
        if (m) { found.push(ctx.t(r.rule.say)); }
      });
      return found;
    }
    function note(f, messages, isError) {
      var box = one(f, ".cg-field-note");
      box.textContent = "";
      box.className = "cg-field-note" + (isError ? " cg-refused" : messages.length ? " cg-prompt-note" : "");
      messages.forEach(function (m) { var p = document.createElement("p"); p.textContent = m; box.appendChild(p); });
      var input = one(f, "textarea, input[type=month]");
      if (input) { input.setAttribute("aria-invalid", isError ? "true" : "false"); }
    }
    function gentle(f) {
      if (f.getAttribute("data-cg-type") !== "text") { return; }
      note(f, prompts(value(f)).map(function (say) { return ctx.t("{field}: {say}", { field: label(f), say: say }); }), false);
    }
    /** Everything wrong with the form, each field's note updated; the first field at fault. */
    function check() {
      var problems = [], first = null;
      fields.forEach(function (f) {
        var v = value(f), messages = [];
        if (!v) { messages.push(ctx.t("Fill in: {field}.", { field: label(f) })); }
        if (v && f.getAttribute("data-cg-type") === "month" && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) {
          messages.push(ctx.t("Fill in: {field}.", { field: label(f) }));
        }
        if (f.getAttribute("data-cg-type") === "text") {
          findIdentifiers(v).forEach(function (hit) {
            messages.push(ctx.t("{field}, line {line}: {why}. Remove it and try again; your text is kept.",
              { field: label(f), line: hit.line, why: hit.why }));
          });
        }
        if (messages.length) { note(f, messages, true); problems = problems.concat(messages); first = first || f; }
        else { gentle(f); }
      });
      if (!confirm.checked) {
        problems.push(ctx.t("Tick the box to say you have removed anything that could identify someone."));
        first = first || confirm;
      }
      return { problems: problems, first: first };
    }
    function compose(v) {
      return fields.map(function (f) { return label(f) + ":\n" + (v[f.getAttribute("data-cg-field")] || ""); }).join("\n\n");
    }
    function parse(text) {
      var out = {}, names = fields.map(function (f) { return f.getAttribute("data-cg-field"); });
      var heads = fields.map(function (f) { return label(f) + ":\n"; });
      heads.forEach(function (head, i) {
        var at = text.indexOf(head);
        if (at < 0) { return; }
        var start = at + head.length, end = text.length;
        heads.forEach(function (h, j) { var k = text.indexOf("\n\n" + h, start - 1); if (j > i && k >= 0 && k < end) { end = k; } });
        out[names[i]] = text.slice(start, end);
      });
      return out;
    }
    function fill(v, itemId) {
      fields.forEach(function (f) { setValue(f, v[f.getAttribute("data-cg-field")] || ""); gentle(f); });
      editing = itemId || null;
      confirm.checked = false;
    }

    fields.forEach(function (f) {
      f.addEventListener("input", function () { gentle(f); if (ctx.draft && !ctx.share) { ctx.draft(compose(values())); } });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var found = check();
      if (found.problems.length) {
        announce(region, found.problems.join(" "));
        var target = found.first === confirm ? confirm : one(found.first, "textarea, input");
        if (target) { target.focus(); }
        return;
      }
      var v = values();
      var sent = ctx.share ? ctx.share({ fields: v, confirmed: true, item: editing })
        : ctx.save({ text: compose(v) });
      sent.then(function () {
        announce(region, ctx.share ? ctx.t("Sent for moderation. Only course staff who moderate can see it is yours.")
          : ctx.t("Saved on this device."));
        if (ctx.share) { fill({}, null); }
        ctx.emit("shared", { id: el.getAttribute("data-cg-id") });
      }, function (error) {
        announce(region, ctx.t("Not saved: {reason}", { reason: error && error.message || String(error) }));
      });
    });
    var download = one(el, "[data-cg-action=download]");
    if (download) {
      download.addEventListener("click", function () {
        downloadText(el.getAttribute("data-cg-id") + ".txt", one(el, "h3").textContent.trim() + "\n\n" + compose(values()) + "\n");
      });
    }
    if (ctx.state && typeof ctx.state.text === "string") { fill(parse(ctx.state.text), null); }
    return { fill: fill };
  };

  /* ------------------------------------------------ text enhancements */

  /** Glossary terms become in-place disclosures: the definition opens beside the word, focus
   *  stays on it, and Escape closes it. Without this script the term links to the page's list. */
  CG.enhanceTerms = function (root, t) {
    all(root, "a.cg-term").forEach(function (link, n) {
      var target = document.getElementById((link.getAttribute("href") || "").slice(1));
      var dd = target && target.nextElementSibling;
      if (!dd || dd.tagName !== "DD") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cg-term";
      button.textContent = link.textContent;
      button.setAttribute("aria-expanded", "false");
      var def = document.createElement("span");
      def.className = "cg-term-def";
      def.id = target.id + "-def-" + n;
      def.hidden = true;
      def.textContent = t("{term}: {definition}", { term: target.textContent.trim(), definition: dd.textContent.trim() });
      button.setAttribute("aria-controls", def.id);
      function toggle(on) { def.hidden = !on; button.setAttribute("aria-expanded", on ? "true" : "false"); }
      button.addEventListener("click", function () { toggle(def.hidden); });
      button.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !def.hidden) { toggle(false); event.stopPropagation(); }
      });
      link.parentNode.replaceChild(button, link);
      button.parentNode.insertBefore(def, button.nextSibling);
    });
  };

  /** Citations [S12] link to their entry in the sources list, and the list offers a way back.
   *  ``reveal(el)`` shows the page holding ``el`` (the shell shows one page at a time). */
  CG.linkCitations = function (root, t, reveal) {
    var back = null, origin = null;
    all(root, "span.cg-cite").forEach(function (span) {
      var keys = span.textContent.match(/S\d+[a-z]?/g) || [];
      if (!keys.every(function (k) { return document.getElementById("cg-source-" + k); })) { return; }
      span.textContent = "[";
      keys.forEach(function (k, i) {
        var a = document.createElement("a");
        a.href = "#cg-source-" + k;
        a.textContent = k;
        a.setAttribute("aria-label", t("Source {key}", { key: k }));
        a.addEventListener("click", function (event) {
          event.preventDefault();
          var entry = document.getElementById("cg-source-" + k);
          origin = a;
          reveal(entry);
          if (!back) {
            back = document.createElement("button");
            back.type = "button";
            back.className = "cg-button cg-cite-back";
            back.textContent = t("Back to where you were");
            back.addEventListener("click", function () {
              back.hidden = true;
              if (origin) { reveal(origin); origin.focus(); }
            });
          }
          entry.parentNode.parentNode.appendChild(back);
          back.hidden = false;
          entry.focus();
        });
        if (i) { span.appendChild(document.createTextNode(", ")); }
        span.appendChild(a);
      });
      span.appendChild(document.createTextNode("]"));
    });
  };

  /** Wide tables scroll inside a focusable region, with a visible cue while they are wider
   *  than the space they have (checked again whenever that space changes). */
  CG.enhanceTables = function (root, t) {
    all(root, ".cg-prose table, .cg-callout table").forEach(function (table) {
      var wrap = document.createElement("div");
      wrap.className = "cg-table-wrap";
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", t("Table"));
      var cue = document.createElement("p");
      cue.className = "cg-table-cue";
      cue.textContent = t("The table is wider than the screen: scroll sideways to see all of it.");
      cue.hidden = true;
      table.parentNode.insertBefore(cue, table);
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
      function check() {
        var wide = wrap.scrollWidth > wrap.clientWidth + 1;
        cue.hidden = !wide;
        if (wide) { wrap.setAttribute("tabindex", "0"); } else { wrap.removeAttribute("tabindex"); }
      }
      if (global.ResizeObserver) { new global.ResizeObserver(check).observe(wrap); }
      check();
    });
  };

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

  CG.widgets = widgets;
  CG.translator = translator;
  CG.setHtml = setHtml;
  CG.downloadText = downloadText;

  /** Mount one widget element with a host context (used by the XBlocks and by the shell). */
  CG.mountWidget = function (el, ctx) {
    var kind = el.getAttribute("data-cg-kind");
    if (!widgets[kind] || el.getAttribute("data-cg-mounted")) { return null; }
    el.setAttribute("data-cg-mounted", "true");
    return widgets[kind](el, ctx);
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
      setupPause();
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
      goTo(current, false);
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
