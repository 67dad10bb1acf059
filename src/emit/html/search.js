// The collection page's search: filters the editions table and lists the
// matching items, from the data `search-data.js` defines beside the page
// (a script, not JSON read with fetch(), so that it loads from disk too).
// Without JavaScript the page shows every edition, unfiltered.
(function () {
  "use strict";
  var data = window.qingdanSearchData;
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var list = document.getElementById("matches");
  var none = document.getElementById("no-match");
  var more = document.getElementById("more");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#editions tbody tr"));
  if (!data || !form) {
    return;
  }
  var strings = data.strings;
  var shownAtMost = 200;
  var editions = data.editions.map(function (e) {
    return {
      page: e.page,
      // The smallest unit named, to say where a match is.
      place: strings[e.place].split(" ").pop(),
      where: (strings[e.place] + "\n" + strings[e.title]).toLowerCase(),
      lists: e.lists,
      items: e.items
    };
  });
  var haystacks = {};
  function text(id) {
    return id < 0 ? "" : strings[id];
  }
  // An item's name, category and text, lowercased once.
  function haystack(e, n, item) {
    var key = e.page + "\n" + n;
    var found = haystacks[key];
    if (found === undefined) {
      found = haystacks[key] = (text(item[2]) + "\n" + text(item[3]) + "\n" + text(item[4])).toLowerCase();
    }
    return found;
  }
  function match(e, list, item) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = e.page + "#" + list[0] + "-" + item[1];
    a.textContent = item[1] + ". " + text(item[2]);
    li.appendChild(a);
    var where = document.createElement("span");
    where.className = "quiet";
    where.textContent = " " + [e.place, text(list[1]), text(item[3])].filter(Boolean).join(" · ");
    li.appendChild(where);
    return li;
  }
  function run(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) {
      results.hidden = true;
      rows.forEach(function (row) { row.hidden = false; });
      return;
    }
    var pages = {};
    var found = 0;
    editions.forEach(function (e) {
      // Terms the place or title holds pick the edition; the others must
      // all be in an item for it to be listed.
      var rest = terms.filter(function (t) { return e.where.indexOf(t) < 0; });
      if (!rest.length) {
        pages[e.page] = true;
        return;
      }
      e.items.forEach(function (item, n) {
        var hay = haystack(e, n, item);
        if (rest.every(function (t) { return hay.indexOf(t) >= 0; })) {
          pages[e.page] = true;
          found += 1;
          if (found <= shownAtMost) {
            list.appendChild(match(e, e.lists[item[0]], item));
          }
        }
      });
    });
    rows.forEach(function (row) { row.hidden = !pages[row.getAttribute("data-page")]; });
    none.hidden = Object.keys(pages).length > 0;
    more.hidden = found <= shownAtMost;
    more.textContent = more.getAttribute("data-template")
      .replace("{shown}", String(shownAtMost)).replace("{total}", String(found));
    results.hidden = false;
  }
  form.hidden = false;
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  run(input.value);
  input.addEventListener("input", function () {
    run(input.value);
    try {
      var url = input.value ? "?q=" + encodeURIComponent(input.value) : window.location.pathname;
      window.history.replaceState(null, "", url);
    } catch (e) {
      // Some browsers refuse to change the address of a file:// page;
      // the form's submit button still puts the query into it.
    }
  });
}());
