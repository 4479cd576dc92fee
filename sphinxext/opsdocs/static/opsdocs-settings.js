/* opsdocs: filtering a settings reference in the page.  Plain JavaScript, no library.
 *
 * The page is whole without it: the form is hidden until this script shows it.  The state
 * lives in the URL, so a filtered view can be shared:
 *   ?filter=WORDS       settings whose text holds every word (name, description, default)
 *   &only=KEY,KEY       settings with each of these facets (required, has-default, ...)
 *   &group=NAME         the settings of one section
 *   &summary=1          the head of each setting only, like a summary table
 */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function setUp(form) {
    var reference = form.getAttribute("data-reference");
    var lists = Array.prototype.filter.call(
      document.querySelectorAll(".opsdocs-settings"),
      function (list) { return list.getAttribute("data-reference") === reference; });
    var entries = [];
    lists.forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (child) {
        if (child.classList.contains("opsdocs-setting")) entries.push(child);
      });
    });
    var text = form.elements.filter;
    var facets = form.querySelectorAll('input[name="only"]');
    var group = form.elements.group || null;
    var summary = form.elements.summary;
    var count = form.querySelector(".opsdocs-filter-count");
    var noun = form.getAttribute("data-noun") || "settings";
    var none = form.querySelector(".opsdocs-filter-none");
    var texts = null;  // each entry's text, lower-cased, read on first use

    function state() {
      return {
        filter: text.value.trim(),
        only: Array.prototype.filter.call(facets, function (box) { return box.checked; })
          .map(function (box) { return box.value; }),
        group: group ? group.value : "",
        summary: summary.checked
      };
    }

    function apply() {
      var wanted = state();
      var needles = words(wanted.filter);
      if (needles.length && texts === null) {
        texts = entries.map(function (entry) { return entry.textContent.toLowerCase(); });
      }
      var shown = 0;
      entries.forEach(function (entry, index) {
        var has = (entry.getAttribute("data-facets") || "").split(" ");
        var visible = needles.every(function (word) { return texts[index].indexOf(word) >= 0; })
          && wanted.only.every(function (key) { return has.indexOf(key) >= 0; })
          && (!wanted.group || entry.getAttribute("data-group") === wanted.group);
        entry.hidden = !visible;
        if (visible) shown += 1;
      });
      lists.forEach(function (list) {
        list.classList.toggle("opsdocs-summaries", wanted.summary);
        var anyShown = Array.prototype.some.call(list.children, function (child) {
          return child.classList.contains("opsdocs-setting") && !child.hidden;
        });
        var section = list.parentElement;
        if (section && section.classList.contains("opsdocs-settings-group")) section.hidden = !anyShown;
      });
      count.textContent = shown === entries.length
        ? entries.length + " " + noun
        : shown + " of " + entries.length + " " + noun;
      none.hidden = shown > 0;
      return wanted;
    }

    function save(wanted) {
      var params = new URLSearchParams(window.location.search);
      var values = {filter: wanted.filter, only: wanted.only.join(","), group: wanted.group,
                    summary: wanted.summary ? "1" : ""};
      Object.keys(values).forEach(function (key) {
        if (values[key]) params.set(key, values[key]); else params.delete(key);
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }

    function load() {
      var params = new URLSearchParams(window.location.search);
      text.value = params.get("filter") || "";
      var only = (params.get("only") || "").split(",");
      Array.prototype.forEach.call(facets, function (box) { box.checked = only.indexOf(box.value) >= 0; });
      if (group) group.value = params.get("group") || "";
      if (group && group.selectedIndex < 0) group.value = "";
      summary.checked = params.get("summary") === "1";
    }

    function changed() {
      save(apply());
    }

    function clear() {
      text.value = "";
      Array.prototype.forEach.call(facets, function (box) { box.checked = false; });
      if (group) group.value = "";
      changed();
    }

    // A link to a setting the filter hides shows it: the filter gives way.
    function reveal() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var target = id ? document.getElementById(id) : null;
      if (!target || entries.indexOf(target) < 0 || !target.hidden) return;
      clear();
      target.scrollIntoView();
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.querySelector(".opsdocs-filter-clear").addEventListener("click", function () {
      clear();
      text.focus();
    });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.addEventListener("hashchange", reveal);
    load();
    apply();
    form.hidden = false;
    // Showing the form moved what is below it: put a linked setting back at the top.
    var target = window.location.hash &&
      document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && (form.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)) {
      if (target.hidden) reveal(); else target.scrollIntoView();
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.opsdocs-filter"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
