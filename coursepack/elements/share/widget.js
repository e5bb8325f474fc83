/* Learning review and joint feedback (coursepack/elements/share): one form for both, whose texts
 * are checked for likely identifiers (refused, naming the field and line; the text is kept) and
 * blame-laden phrasing (a gentle prompt, never a refusal), with the rules of
 * coursepack/sharing_rules/rules.yml carried in data-cg-rules. The host sends the values (ctx.share,
 * Open edX) or keeps them as labelled text with the reflections (ctx.save). */
CommonGround.kinds.register("share", { role: "private", mount: function (el, ctx) {
  "use strict";
  var CG = window.CommonGround, all = CG.all, one = CG.one, announce = CG.announce, notSaved = CG.notSaved;
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
    }, notSaved(region, ctx));
  });
  var download = one(el, "[data-cg-action=download]");
  if (download) {
    download.addEventListener("click", function () {
      CG.downloadText(el.getAttribute("data-cg-id") + ".txt", one(el, "h3").textContent.trim() + "\n\n" + compose(values()) + "\n");
    });
  }
  if (ctx.state && typeof ctx.state.text === "string") { fill(parse(ctx.state.text), null); }
  return { fill: fill };
} });
