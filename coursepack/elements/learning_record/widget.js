/* Record of learning (coursepack/elements/learning_record): the learner chooses how they took
 * part and the regulator; the host gives what the record says of the module (ctx.facts, the same
 * for everyone) and of the learner (ctx.record(): their result, as a summary the record words or
 * as the host's own text, their start date and the reflections they wrote, nothing else). The record is then written here, in the browser, as a
 * printable page (HTML with A4 print styles) and a Word document (.docx: a store-only zip of a
 * few WordprocessingML parts), each offered as a link to a Blob: no library, no network, and the
 * learner's words go nowhere to be formatted. Every text of the learner is escaped as it is written.
 * Once the host's progress says the module is complete, a certificate of completion is made the
 * same way, as a printable page (``certificate``, ``mountCertificate``); where the host can say
 * when every module of a pathway was complete (``ctx.completionDates``), one for the whole
 * pathway too (``pathwayCertificate``, ``mountPathwayCertificates``). */
(function (global) {
  "use strict";
  var CG = global.CommonGround;

  /* ------------------------------------------------------------ a store-only zip */

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n += 1) {
      var c = n;
      for (var k = 0; k < 8; k += 1) { c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; }
      table.push(c >>> 0);
    }
    return table;
  })();

  function crc32(bytes) {
    var c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i += 1) { c = CRC_TABLE[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8); }
    return (c ^ 0xFFFFFFFF) >>> 0;
  }

  /** A zip of ``files`` ([name, text] pairs, in order), stored uncompressed, every entry dated
   *  2026-01-01 00:00: the same files make the same bytes. */
  function zip(files) {
    var utf8 = new global.TextEncoder(), parts = [], central = [], offset = 0;
    var DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;
    function header(size) { return { view: new DataView(new ArrayBuffer(size)), size: size }; }
    files.forEach(function (file) {
      var name = utf8.encode(file[0]), data = utf8.encode(file[1]), crc = crc32(data);
      var local = header(30), v = local.view;
      v.setUint32(0, 0x04034b50, true); v.setUint16(4, 20, true); v.setUint16(6, 0x0800, true);
      v.setUint16(8, 0, true); v.setUint16(10, 0, true); v.setUint16(12, DOS_DATE, true);
      v.setUint32(14, crc, true); v.setUint32(18, data.length, true); v.setUint32(22, data.length, true);
      v.setUint16(26, name.length, true); v.setUint16(28, 0, true);
      var entry = header(46), w = entry.view;
      w.setUint32(0, 0x02014b50, true); w.setUint16(4, 20, true); w.setUint16(6, 20, true);
      w.setUint16(8, 0x0800, true); w.setUint16(10, 0, true); w.setUint16(12, 0, true);
      w.setUint16(14, DOS_DATE, true); w.setUint32(16, crc, true); w.setUint32(20, data.length, true);
      w.setUint32(24, data.length, true); w.setUint16(28, name.length, true);
      w.setUint32(42, offset, true);
      parts.push(new Uint8Array(v.buffer), name, data);
      central.push(new Uint8Array(w.buffer), name);
      offset += 30 + name.length + data.length;
    });
    var size = central.reduce(function (n, p) { return n + p.length; }, 0);
    var end = header(22), e = end.view;
    e.setUint32(0, 0x06054b50, true); e.setUint16(8, files.length, true); e.setUint16(10, files.length, true);
    e.setUint32(12, size, true); e.setUint32(16, offset, true);
    return new global.Blob(parts.concat(central, [new Uint8Array(e.buffer)]), {
      type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
  }

  /* ------------------------------------------------------ the record as blocks */

  /* A record is a list of blocks, written out as HTML or WordprocessingML alike:
   *   {type: "title"|"h"|"q"|"p"|"note", text}, {type: "rows", rows: [[label, value]]},
   *   {type: "table", head: [...], rows: [[...]]}, {type: "list", items: [...]}. */

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function today() { var d = new Date(); return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }

  function compose(facts, rec, choice, t) {
    var out = [], yours = t("[Yours to write]");
    var pathway = (facts.allPathways || []).filter(function (w) { return w.role === choice.pathway; })[0] || null;
    var mode = choice.mode === "facilitated" ? t("A facilitated session with others") : t("Self-directed e-learning, on my own");
    var made = today();
    var dates = rec.started ? t("Started on {start}, record made on {end}", { start: rec.started, end: made })
      : t("Record made on {end}", { end: made });
    var time = pathway || facts;
    var timeText = t("{minutes} minutes ({hours} hours)", { minutes: time.minutes, hours: time.hours });
    var s = rec.summary, result = rec.resultText || (!s ? t("Your learning system holds your result (see its progress page).")
      : s.complete ? t("Completed. Score {score}% (pass mark {pass}%).", { score: Math.round(s.score), pass: s.passMark })
      : t("Not finished yet: pages viewed {seen} of {total}, questions answered {answered} of {questions}.",
        { seen: s.seen, total: s.pages, answered: s.answered, questions: s.questions }));
    var levels = (pathway ? [pathway] : facts.pathways).map(function (w) {
      return t("{role} pathway ({level} level)", { role: w.role, level: w.level });
    }).join("; ");
    var activity = pathway ? t("Record of learning: the {role} pathway", { role: pathway.role }) : facts.title;
    out.push({ type: "title", text: pathway ? t("Record of learning: the {role} pathway", { role: pathway.role })
      : t("Record of learning: {title}", { title: facts.title }) });
    var rows = [[t("Training"), facts.pack]];
    if (!pathway) { rows.push([t("Module"), facts.title], [t("Version"), facts.version]); }
    rows.push([t("Dates"), dates], [t("Notional learning time"), timeText], [t("How I took part"), mode],
      [t("Result"), pathway ? facts.title + ": " + result : result], [t("Pathway and level"), levels]);
    out.push({ type: "rows", rows: rows });
    out.push({ type: "note", text: t("The levels are this training's own. They are not levels of the National Trauma Transformation Programme.") });
    if (pathway) {
      out.push({ type: "h", text: t("Modules in this pathway") });
      out.push({ type: "table", head: [t("Module"), t("Version"), t("Notional learning time"), t("Completed on")],
        rows: pathway.modules.map(function (m) {
          return [m.title, m.version, t("{minutes} minutes ({hours} hours)", { minutes: m.minutes, hours: m.hours }),
            m.id === facts.id && s && s.complete ? made : ""];
        }).concat([[t("Total notional learning time"), "", timeText, ""]]) });
      out.push({ type: "note", text: t("This record can only see this module. Copy the dates you completed the other modules from your learning system.") });
    } else {
      out.push({ type: "h", text: t("Outcomes") }, { type: "p", text: t("By the end you will be able to:") },
        { type: "list", items: facts.outcomes });
    }
    function reflections(none) {
      if (!rec.reflections.length) { out.push({ type: "p", text: none }); return; }
      out.push({ type: "note", text: t("These are your own words, as you saved them. Reflections you did not write are left out.") });
      rec.reflections.forEach(function (r) { out.push({ type: "q", text: r.prompt }, { type: "p", text: r.text }); });
    }
    if (choice.format === "nmc") {
      out.push({ type: "h", text: t("NMC: CPD log entry") }, { type: "rows", rows: [
        [t("CPD method"), mode], [t("Topic, and how it relates to my practice"), activity + ". " + yours],
        [t("Dates"), dates], [t("Number of hours"), String(time.hours)],
        [t("Participatory hours"), choice.mode === "facilitated" ? t("Up to {hours}, if you learned with one or more other professionals.", { hours: time.hours })
          : t("0: e-learning on your own is not participatory learning for the NMC.")],
        [t("Part of the Code most relevant"), yours],
        [t("Evidence"), t("This record, and the completion record in your learning system.")]] });
      out.push({ type: "note", text: t("For NMC revalidation, every 3 years, you need 35 hours of CPD. At least 20 of them must be participatory: learning that involves interacting with one or more other professionals, in person or online. E-learning on your own is not participatory. A facilitated session with others can be.") },
        { type: "note", text: t("You also need 5 written reflective accounts on the NMC's form, each relating to the Code. Use the NMC's own forms and guidance (How to revalidate with the NMC).") });
      out.push({ type: "h", text: t("NMC: reflective account (draft)") },
        { type: "note", text: t("Drafted from your own reflections in this module, for you to edit. Copy it onto the NMC's reflective account form and use that form's own headings.") });
      reflections(t("You did not save any reflections in this module, so there is nothing to draft from. Write your own account on the NMC's form."));
      out.push({ type: "q", text: t("How this relates to the Code") },
        { type: "note", text: t("Relating your account to the Code is yours to write. Read the Code on the NMC's website.") },
        { type: "p", text: yours });
    } else {
      var hcpc = choice.format === "hcpc";
      out.push({ type: "h", text: hcpc ? t("HCPC: CPD record entry") : t("SSSC: continuous professional learning (CPL) entry") },
        { type: "rows", rows: [[hcpc ? t("Activity") : t("Learning activity"), activity], [t("Type of learning activity"), mode],
          [t("Dates"), dates], [t("Time spent"), timeText]] });
      out.push({ type: "h", text: t("What I learned") });
      reflections(t("You did not save any reflections in this module."));
      (hcpc ? [t("How it improves the quality of my practice and service delivery"), t("How it benefits the people who use my service")]
        : [t("How it relates to my role and the core learning elements for it")]).forEach(function (q) {
        out.push({ type: "q", text: q }, { type: "p", text: yours });
      });
      out.push({ type: "note", text: hcpc ? t("The HCPC asks you to keep a continuous, up-to-date and accurate record of your CPD, with a mixture of learning activities relevant to your current or future practice. If your record is chosen for audit, you present a written profile with evidence. See the HCPC's Standards of continuing professional development.")
        : t("The SSSC's continuous professional learning (CPL) focuses on the core learning elements for your role and career stage, not a count of hours. You can record it in any way: your employer's system, a learning journal or the SSSC's tools. If you are asked for your CPL details at your annual declaration, your employer verifies them. See the SSSC's own guidance on CPL.") });
    }
    out.push({ type: "note", text: t("This record was made by the learner from the Common Ground training. It is not a certificate; your learning system's record is the official one.") });
    return out;
  }

  /** A certificate of completion of the module: ``name`` is what the learner typed to print
   *  (it goes nowhere else), ``rec.lms`` whether a learning system holds the official record. */
  function certificate(facts, rec, name, t) {
    var s = rec.summary, out = [{ type: "title", text: t("Certificate of completion") }];
    // The page's own preview mark, in the page's words: no second copy of it in every page's texts.
    var stamp = facts.preview && document.querySelector(".cg-preview-mark strong");
    if (stamp) { out.push({ type: "mark", text: stamp.textContent }); }
    out.push({ type: "p", text: t("This is to say that") },
      name ? { type: "big", text: name } : { type: "p", text: t("Name: ____________________________") },
      { type: "p", text: t("completed the training module") }, { type: "big", text: facts.title },
      { type: "rows", rows: [[t("Training"), facts.pack], [t("Version"), facts.version],
        [t("Date completed"), rec.completed || today()],
        [t("Notional learning time"), t("{minutes} minutes ({hours} hours)", { minutes: facts.minutes, hours: facts.hours })],
        [t("Result"), t("Completed. Score {score}% (pass mark {pass}%).", { score: Math.round(s.score), pass: s.passMark })],
        [t("Publisher"), facts.publisher]] },
      { type: "note", text: officialRecord(rec, t) });
    return out;
  }

  /** A certificate for a whole pathway (``pathway``: one of ``facts.allPathways``), once the host
   *  has seen every module of it complete: ``dates`` the day each was, by module id. The date
   *  completed is the latest of them. */
  function pathwayCertificate(facts, pathway, dates, rec, name, t) {
    var out = [{ type: "title", text: t("Certificate of completion") }];
    var stamp = facts.preview && document.querySelector(".cg-preview-mark strong");
    if (stamp) { out.push({ type: "mark", text: stamp.textContent }); }
    var last = pathway.modules.map(function (m) { return dates[m.id]; }).sort().pop();
    out.push({ type: "p", text: t("This is to say that") },
      name ? { type: "big", text: name } : { type: "p", text: t("Name: ____________________________") },
      { type: "p", text: t("completed every module of the pathway") },
      { type: "big", text: t("{role} pathway ({level} level)", { role: pathway.role, level: pathway.level }) },
      { type: "rows", rows: [[t("Training"), facts.pack], [t("Date completed"), last],
        [t("Total notional learning time"), t("{minutes} minutes ({hours} hours)", { minutes: pathway.minutes, hours: pathway.hours })],
        [t("Publisher"), facts.publisher]] },
      { type: "table", head: [t("Module"), t("Notional learning time"), t("Completed on")],
        rows: pathway.modules.map(function (m) {
          return [m.title, t("{minutes} minutes ({hours} hours)", { minutes: m.minutes, hours: m.hours }), dates[m.id]];
        }) },
      { type: "note", text: t("The levels are this training's own. They are not levels of the National Trauma Transformation Programme.") },
      { type: "note", text: officialRecord(rec, t) });
    return out;
  }

  /** Whose record is the official one, said the same on every certificate. */
  function officialRecord(rec, t) {
    return rec.lms ? t("This certificate is for your own records. The official record of your learning is the one in your learning system (LMS).")
      : t("This certificate is for your own records. No learning system recorded this learning: it was done in a copy of the training that runs on its own, so there is no official record of it.");
  }

  /* ----------------------------------------------------------- as a printable page */

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function paragraphs(text, cls) {
    return String(text).split(/\r\n|\r|\n/).map(function (line) {
      return "<p" + (cls ? ' class="' + cls + '"' : "") + ">" + (escapeHtml(line) || "&nbsp;") + "</p>";
    }).join("");
  }

  /** The record as a page of its own; ``stylesheet`` is the player's (its .cg-record-sheet rules,
   *  and with ``sheet`` "certificate" its .cg-certificate-sheet ones). */
  function toHtml(blocks, lang, stylesheet, sheet) {
    var body = blocks.map(function (b) {
      switch (b.type) {
        case "title": return "<h1>" + escapeHtml(b.text) + "</h1>";
        case "h": return "<h2>" + escapeHtml(b.text) + "</h2>";
        case "q": return "<h3>" + escapeHtml(b.text) + "</h3>";
        case "note": return paragraphs(b.text, "cg-record-note");
        case "big": return paragraphs(b.text, "cg-certificate-big");
        case "mark": return '<p class="cg-preview-mark"><strong>' + escapeHtml(b.text) + "</strong></p>";
        case "list": return "<ul>" + b.items.map(function (i) { return "<li>" + escapeHtml(i) + "</li>"; }).join("") + "</ul>";
        case "rows": return "<table><tbody>" + b.rows.map(function (r) {
          return '<tr><th scope="row">' + escapeHtml(r[0]) + "</th><td>" + paragraphs(r[1]) + "</td></tr>";
        }).join("") + "</tbody></table>";
        case "table": return "<table><thead><tr>" + b.head.map(function (h) { return '<th scope="col">' + escapeHtml(h) + "</th>"; }).join("") +
          "</tr></thead><tbody>" + b.rows.map(function (r) {
            return "<tr>" + r.map(function (c) { return "<td>" + escapeHtml(c) + "</td>"; }).join("") + "</tr>";
          }).join("") + "</tbody></table>";
        default: return paragraphs(b.text);
      }
    }).join("\n");
    return "<!doctype html>\n<html lang=\"" + escapeHtml(lang) + "\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escapeHtml(blocks[0].text) +
      "</title>" + (stylesheet ? '<link rel="stylesheet" href="' + escapeHtml(stylesheet) + '">' : "") +
      '</head><body class="cg-record-sheet' + (sheet ? " cg-" + sheet + "-sheet" : "") + '"><main>\n' + body + "\n</main></body></html>\n";
  }

  /* ------------------------------------------------------------- as a Word document */

  var W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  var XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

  /** Text for XML: escaped, without the characters XML 1.0 cannot hold. */
  function escapeXml(text) {
    return escapeHtml(String(text).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ""));
  }
  function runs(text, bold) {
    var props = bold ? "<w:rPr><w:b/></w:rPr>" : "";
    return String(text).split(/\r\n|\r|\n/).map(function (line, i) {
      return "<w:r>" + props + (i ? "<w:br/>" : "") + '<w:t xml:space="preserve">' + escapeXml(line) + "</w:t></w:r>";
    }).join("");
  }
  function para(text, style, bold) {
    return "<w:p>" + (style ? '<w:pPr><w:pStyle w:val="' + style + '"/></w:pPr>' : "") + runs(text, bold) + "</w:p>";
  }
  function table(rows, widths, head) {
    var grid = widths.map(function (w) { return '<w:gridCol w:w="' + w + '"/>'; }).join("");
    var border = ["top", "left", "bottom", "right", "insideH", "insideV"].map(function (side) {
      return "<w:" + side + ' w:val="single" w:sz="4" w:space="0" w:color="555555"/>';
    }).join("");
    return '<w:tbl><w:tblPr><w:tblW w:w="' + widths.reduce(function (a, b) { return a + b; }, 0) + '" w:type="dxa"/>' +
      "<w:tblBorders>" + border + "</w:tblBorders></w:tblPr><w:tblGrid>" + grid + "</w:tblGrid>" +
      rows.map(function (r, n) {
        return "<w:tr>" + r.map(function (cell, i) {
          return '<w:tc><w:tcPr><w:tcW w:w="' + widths[i] + '" w:type="dxa"/></w:tcPr>' +
            para(cell, "", (head && n === 0) || (!head && i === 0)) + "</w:tc>";
        }).join("") + "</w:tr>";
      }).join("") + "</w:tbl>" + para("", "");
  }

  function toDocx(blocks, lang) {
    var body = blocks.map(function (b) {
      switch (b.type) {
        case "title": return para(b.text, "Title");
        case "h": return para(b.text, "Heading1");
        case "q": return para(b.text, "Heading2");
        case "note": return para(b.text, "Note");
        case "list": return b.items.map(function (i) { return para("\u2022 " + i, "ListItem"); }).join("");
        case "rows": return table(b.rows, [3200, 6438], false);
        case "table": return table([b.head].concat(b.rows), [3900, 1300, 2638, 1800], true);
        default: return para(b.text, "");
      }
    }).join("");
    var document = XML + "<w:document " + W + "><w:body>" + body +
      '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" ' +
      'w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>';
    function style(id, name, props, run) {
      return '<w:style w:type="paragraph"' + (id === "Normal" ? ' w:default="1"' : "") + ' w:styleId="' + id + '"><w:name w:val="' +
        name + '"/>' + (id === "Normal" ? "" : '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>') +
        "<w:pPr>" + props + "</w:pPr><w:rPr>" + run + "</w:rPr></w:style>";
    }
    var styles = XML + "<w:styles " + W + '><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>' +
      '<w:sz w:val="22"/><w:lang w:val="' + escapeXml(lang) + '"/></w:rPr></w:rPrDefault></w:docDefaults>' +
      style("Normal", "Normal", '<w:spacing w:after="80" w:line="276" w:lineRule="auto"/>', "") +
      style("Title", "Title", '<w:spacing w:after="200"/><w:outlineLvl w:val="0"/>', '<w:b/><w:sz w:val="36"/>') +
      style("Heading1", "heading 1", '<w:keepNext/><w:spacing w:before="280" w:after="100"/><w:outlineLvl w:val="1"/>', '<w:b/><w:sz w:val="28"/>') +
      style("Heading2", "heading 2", '<w:keepNext/><w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="2"/>', '<w:b/><w:sz w:val="22"/>') +
      style("Note", "Note", "", '<w:color w:val="333333"/><w:sz w:val="20"/>') +
      style("ListItem", "List Item", '<w:ind w:left="360" w:hanging="220"/>', "") + "</w:styles>";
    return zip([
      ["[Content_Types].xml", XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>'],
      ["_rels/.rels", XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'],
      ["word/_rels/document.xml.rels", XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>'],
      ["word/document.xml", document],
      ["word/styles.xml", styles]
    ]);
  }

  CG.record = { compose: compose, certificate: certificate, pathwayCertificate: pathwayCertificate, toHtml: toHtml,
    toDocx: toDocx, zip: zip, crc32: crc32 };

  /* ------------------------------------------------------------------ the widget */

  /** The certificate part of the widget: offered only while the host's progress says the module
   *  is complete (a host that reports no progress, Open edX, gives its own certificates); until
   *  then its reason stays in view and the button says why when pressed. The typed name is read
   *  only when the page is made, and never kept. */
  function mountCertificate(el, ctx, facts, sheet, announce) {
    var one = CG.one, box = one(el, ".cg-certificate"), t = ctx.t, url = "";
    var button = one(box, ".cg-certificate-make"), why = one(box, ".cg-certificate-reason");
    var link = one(box, ".cg-certificate-page"), region = one(el, ".cg-feedback");
    var waiting = t("You can print a certificate once you have finished this module: view every page and answer every knowledge check.");
    var ready = false;
    function show(summary) {
      ready = !!(summary && summary.complete);
      button.setAttribute("aria-disabled", ready ? "false" : "true");
      why.textContent = !ctx.onProgress ? t("Your learning system gives the certificates for this course. See its progress page.")
        : ready ? t("You have finished this module, so you can print a certificate of completion.") : waiting;
      if (!ready) { link.parentNode.hidden = true; }
    }
    if (ctx.onProgress) {
      ctx.onProgress(show);
      Promise.resolve(ctx.record()).then(function (rec) { show(rec.summary); });
    } else { show(null); one(box, ".cg-certificate-name").hidden = true; }
    button.addEventListener("click", function () {
      if (!ready) { announce(region, why.textContent); return; }
      Promise.resolve(ctx.record()).then(function (rec) {
        if (!rec.summary || !rec.summary.complete) { show(rec.summary); announce(region, why.textContent); return; }
        var name = one(box, "input").value.trim().slice(0, 120);
        if (url) { URL.revokeObjectURL(url); }
        url = URL.createObjectURL(new Blob([toHtml(certificate(facts, rec, name, t), document.documentElement.lang || "en-GB",
          sheet && sheet.href, "certificate")], { type: "text/html;charset=utf-8" }));
        link.href = url;
        link.parentNode.hidden = false;
        announce(region, t("Your certificate is ready. Open it in a new tab to print it."));
      });
    });
  }

  /** The certificates for a whole pathway (a widget with ``scope=pathway``). Where the host can
   *  say when the other modules were complete (``ctx.completionDates``: the preview site), each
   *  pathway is either offered, with a button, or said to be not finished, with the modules
   *  still to do; the list follows progress. Elsewhere (SCORM, Open edX: the package sees only
   *  its own module) the note says where such a certificate comes from. The typed name is the
   *  module certificate's field, read only when the page is made. */
  function mountPathwayCertificates(el, ctx, facts, sheet, announce) {
    var one = CG.one, t = ctx.t, box = one(el, ".cg-pathway-certificates");
    if (!box) { return; }
    var note = one(box, ".cg-pathway-certificates-note"), list = one(box, ".cg-pathway-certificates-list");
    var link = one(box, ".cg-pathway-certificate-page"), region = one(el, ".cg-feedback"), url = "";
    var pathways = facts.allPathways || [];
    if (!pathways.length) { box.hidden = true; return; }
    if (!ctx.completionDates) {
      note.textContent = t("This page cannot see your other modules, so it cannot make a certificate for a whole pathway. Certificates come from your learning system: for example, Moodle gives one for each pathway, and Open edX one for the whole course.");
      return;
    }
    var ids = [];
    pathways.forEach(function (w) { w.modules.forEach(function (m) { if (ids.indexOf(m.id) < 0) { ids.push(m.id); } }); });
    note.textContent = t("This copy of the training can see the modules you finished in this browser only.");
    list.hidden = false;
    var shown = "";
    function make(pathway) {
      Promise.all([ctx.completionDates(ids), ctx.record()]).then(function (got) {
        var dates = got[0];
        if (!pathway.modules.every(function (m) { return dates[m.id]; })) { refresh(); return; }
        var name = one(el, ".cg-certificate-name input").value.trim().slice(0, 120);
        if (url) { URL.revokeObjectURL(url); }
        url = URL.createObjectURL(new Blob([toHtml(pathwayCertificate(facts, pathway, dates, got[1], name, t),
          document.documentElement.lang || "en-GB", sheet && sheet.href, "certificate")], { type: "text/html;charset=utf-8" }));
        link.href = url;
        link.parentNode.hidden = false;
        announce(region, t("Your certificate for the {role} pathway is ready. Open it in a new tab to print it.", { role: pathway.role }));
      });
    }
    function render(dates) {
      var lines = pathways.map(function (w) {
        var left = w.modules.filter(function (m) { return !dates[m.id]; });
        return left.length ? t("{role} pathway: {done} of {total} modules finished. Still to finish: {modules}.", {
          role: w.role, done: w.modules.length - left.length, total: w.modules.length,
          modules: left.map(function (m) { return m.title; }).join(", ") }) : "";
      });
      if (lines.join("\n") === shown && list.children.length) { return; }   // unchanged: keep the focus where it is
      shown = lines.join("\n");
      list.textContent = "";
      pathways.forEach(function (w, n) {
        var item = document.createElement("li");
        if (lines[n]) { item.textContent = lines[n]; }
        else {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "cg-button cg-pathway-certificate-make";
          button.setAttribute("data-cg-role", w.role);
          button.textContent = t("Make a certificate for the whole {role} pathway", { role: w.role });
          button.addEventListener("click", function () { make(w); });
          item.appendChild(button);
        }
        list.appendChild(item);
      });
    }
    function refresh() { Promise.resolve(ctx.completionDates(ids)).then(render); }
    refresh();
    if (ctx.onProgress) { ctx.onProgress(refresh); }
  }

  CG.kinds.register("learning_record", { role: "content", record: true, mount: function (el, ctx) {
    var one = CG.one, all = CG.all, announce = CG.announce;
    var form = one(el, "form"), region = one(el, ".cg-feedback"), links = one(el, ".cg-record-links");
    var facts = (ctx.facts || {}).learning_record;
    var urls = [];
    if (!facts || !ctx.record) { form.hidden = true; one(el, ".cg-certificate").hidden = true; return {}; }
    var which = one(el, "[data-cg-choice=which]");
    if (which) {
      (facts.allPathways || []).forEach(function (w) {
        var label = document.createElement("label"), input = document.createElement("input");
        label.className = "cg-option";
        input.type = "radio";
        input.name = one(which, "input").name;
        input.value = w.role;
        label.appendChild(input);
        var text = document.createElement("span");
        text.textContent = ctx.t("A whole pathway: {role} ({level} level)", { role: w.role, level: w.level });
        label.appendChild(document.createTextNode(" "));
        label.appendChild(text);
        which.appendChild(label);
      });
    }
    function chosen(name) {
      var box = one(el, "[data-cg-choice=" + name + "]"), on = box && one(box, "input:checked");
      return on ? on.value : "";
    }
    function offer(link, blob, name) {
      var url = URL.createObjectURL(blob);
      urls.push(url);
      link.href = url;
      if (name) { link.setAttribute("download", name); }
    }
    var sheet = one(document, 'link[rel=stylesheet][href*="player.css"]');
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var choice = { mode: chosen("mode"), format: chosen("format"), pathway: chosen("which") };
      Promise.resolve(ctx.record()).then(function (rec) {
        var blocks = compose(facts, { summary: rec.summary || null, started: rec.started || "", resultText: rec.resultText || "",
          reflections: (rec.reflections || []).filter(function (r) { return r && typeof r.text === "string" && r.text.trim(); }) }, choice, ctx.t);
        var lang = document.documentElement.lang || "en-GB";
        urls.forEach(function (u) { URL.revokeObjectURL(u); });
        urls = [];
        var stem = "record-of-learning-" + (choice.pathway ? "pathway" : facts.id) + "-" + choice.format;
        offer(one(links, ".cg-record-page"), new Blob([toHtml(blocks, lang, sheet && sheet.href)], { type: "text/html;charset=utf-8" }), "");
        offer(one(links, ".cg-record-docx"), toDocx(blocks, lang), stem + ".docx");
        links.hidden = false;
        all(links, "a").forEach(function (a) { a.setAttribute("data-cg-format", choice.format); });
        announce(region, ctx.t("Your record is ready. Open the printable page or download the Word document."));
      }).catch(function (error) {
        announce(region, ctx.t("Your record could not be made: {reason}", { reason: error && error.message || String(error) }));
      });
    });
    mountCertificate(el, ctx, facts, sheet, announce);
    mountPathwayCertificates(el, ctx, facts, sheet, announce);
    return {};
  } });
})(window);
