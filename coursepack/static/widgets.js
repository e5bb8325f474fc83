/* Common Ground learner widgets: the one player script an Open edX unit page loads.
 *
 * Widgets (knowledge check, put in order, reflection, scenario, confidence, learning review
 * and joint feedback) read their saved state from a host `ctx` and report through it; the host
 * is an XBlock (one widget per block, state through JSON handlers, xblock-adapter.js) or the
 * module shell (shell.js, loaded after this file by SCORM packages and the preview). The text
 * enhancements (glossary disclosures, citation links, wide-table scroll) are here too, with the
 * few helpers they and the shell share. Scoring, the state codec, the shell and the device store
 * live in shell.js, so a unit page does not pay for them. No framework, no network, no eval, no
 * inline handlers: safe under a strict CSP.
 */
(function (global) {
  "use strict";

  var CG = global.CommonGround = global.CommonGround || {};

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
   *  coursepack/sharing_rules/rules.yml carried in data-cg-rules. The host sends the values
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
    /** [{line, why}] for a text: the first rule naming each stretch, as coursepack.sharing_rules does. */
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

  CG.widgets = widgets;
  CG.translator = translator;
  CG.setHtml = setHtml;
  CG.downloadText = downloadText;
  // The helpers shell.js shares (one copy of each, here).
  CG.all = all;
  CG.one = one;
  CG.announce = announce;

  /** Mount one widget element with a host context (used by the XBlocks and by the shell). */
  CG.mountWidget = function (el, ctx) {
    var kind = el.getAttribute("data-cg-kind");
    if (!widgets[kind] || el.getAttribute("data-cg-mounted")) { return null; }
    el.setAttribute("data-cg-mounted", "true");
    return widgets[kind](el, ctx);
  };
})(window);
