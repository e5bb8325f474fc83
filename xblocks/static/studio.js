/* Common Ground in Studio: save every field at once, or show why nothing was saved. */
(function (global) {
  "use strict";

  function cookie(name) {
    var found = null;
    (global.document.cookie || "").split(";").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0 && part.slice(0, eq).trim() === name) { found = decodeURIComponent(part.slice(eq + 1).trim()); }
    });
    return found;
  }

  global.CommonGroundStudio = function (runtime, element) {
    var root = element && element.jquery ? element[0] : element;
    var form = root.querySelector(".cg-studio-form");
    var box = root.querySelector(".cg-studio-problems");
    var title = box.querySelector(".cg-studio-problems-title");
    var list = box.querySelector("ul");

    function showProblems(message, problems) {
      title.textContent = message;
      list.textContent = "";
      (problems || []).forEach(function (text) {
        var li = global.document.createElement("li");
        li.textContent = text;
        list.appendChild(li);
      });
      box.hidden = false;
      box.focus();
    }

    function save() {
      var values = {};
      Array.prototype.forEach.call(form.querySelectorAll("[name]"), function (input) { values[input.name] = input.value; });
      runtime.notify("save", { state: "start" });
      global.fetch(runtime.handlerUrl(root, "studio_submit"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") || "" },
        body: JSON.stringify(values)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) {
            box.hidden = true;
            runtime.notify("save", { state: "end" });
          } else {
            showProblems(body.error || String(response.status), body.problems);
            runtime.notify("error", { title: body.error || "", message: (body.problems || []).join("\n") });
          }
        });
      }, function (error) {
        showProblems(String(error && error.message || error), []);
        runtime.notify("error", { title: String(error), message: "" });
      });
    }

    root.querySelector(".save-button").addEventListener("click", function (event) { event.preventDefault(); save(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
    root.querySelector(".cancel-button").addEventListener("click", function (event) {
      event.preventDefault();
      runtime.notify("cancel", {});
    });
    return {};
  };
})(window);
