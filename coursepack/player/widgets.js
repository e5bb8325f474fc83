/* Common Ground learner widgets: the one player script an Open edX unit page loads, this file
 * followed by each element kind's widget.js (coursepack.player puts them together).
 *
 * Here: the kinds' registry, the helpers the widgets and the shell share, what graded widgets
 * share, and the text enhancements (glossary disclosures, citation links, wide-table scroll). A
 * widget reads its saved state from a host `ctx` and reports through it; the host is an XBlock
 * (one widget per block, xblock-adapter.js) or the module shell (shell.js, loaded after this
 * file by SCORM packages and the preview only). No framework, no network, no eval, no inline
 * handlers: safe under a strict CSP.
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

  /** What a widget says when its host did not take what it sent: why, in its live region. */
  function notSaved(region, ctx) {
    return function (error) {
      announce(region, ctx.t("Not saved: {reason}", { reason: error && error.message || String(error) }));
    };
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

  /* ------------------------------------------------------------- the kinds */

  /* Each element kind's script registers its parts under its name (coursepack/elements/<kind>/:
   * widget.js the role and mount(el, ctx), shell.js what the module shell asks of it). A part
   * registered twice is refused: one kind never silently replaces another. */
  var kinds = {};
  CG.kinds = {
    register: function (name, parts) {
      var kind = kinds[name] = kinds[name] || { name: name };
      Object.keys(parts).forEach(function (part) {
        if (part in kind) { throw new Error("CommonGround.kinds: '" + name + "' has its " + part + " twice"); }
        kind[part] = parts[part];
      });
      return kind;
    },
    get: function (name) { return kinds[name] || null; },
    all: function () { return Object.keys(kinds).sort().map(function (n) { return kinds[n]; }); }
  };

  /* What the graded kinds' widgets share: the verdict and sending an answer. */
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
        notSaved(one(el, ".cg-feedback"), ctx)(error);
      });
    });
  }

  CG.graded = { verdict: verdict, onSubmit: onSubmit };

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

  CG.translator = translator;
  CG.setHtml = setHtml;
  CG.notSaved = notSaved;
  CG.downloadText = downloadText;
  // The helpers shell.js shares (one copy of each, here).
  CG.all = all;
  CG.one = one;
  CG.announce = announce;

  /** Mount one widget element with a host context (used by the XBlocks and by the shell). */
  CG.mountWidget = function (el, ctx) {
    var kind = kinds[el.getAttribute("data-cg-kind")];
    if (!kind || !kind.mount || el.getAttribute("data-cg-mounted")) { return null; }
    el.setAttribute("data-cg-mounted", "true");
    return kind.mount(el, ctx);
  };
})(window);
