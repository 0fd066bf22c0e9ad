// The threat table: sort by any column, filter by bucket, status, STRIDE
// letter, target and free text; the DFD filters the table on click and a
// row's target link shows the element in the DFD. A large table comes as
// data and is drawn a window at a time. Plain JavaScript.
(function () {
  'use strict';
  var table = document.getElementById('threat-table');
  if (!table) return;
  var body = table.tBodies[0];
  var controls = {
    bucket: document.getElementById('f-bucket'),
    status: document.getElementById('f-status'),
    stride: document.getElementById('f-stride'),
    target: document.getElementById('f-target'),
    text: document.getElementById('f-text')
  };
  var count = document.getElementById('result-count');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var dataBlock = document.getElementById('threat-data');
  var apply = dataBlock ? virtualTable(JSON.parse(dataBlock.textContent)) : plainTable();

  function showSelected() {
    var selected = controls.target.value;
    document.querySelectorAll('.dfd g.node').forEach(function (node) {
      node.classList.toggle('selected', selected !== '' && node.id === 'el-' + selected);
    });
  }

  // One row's fields against the filter controls.
  function passes(bucket, status, resolved, stride, targets, text) {
    if (controls.bucket.value && bucket !== controls.bucket.value) return false;
    if (controls.status.value === 'unresolved' && resolved) return false;
    if (controls.status.value && controls.status.value !== 'unresolved' && status !== controls.status.value) return false;
    if (controls.stride.value && stride.indexOf(controls.stride.value) < 0) return false;
    if (controls.target.value && (' ' + targets + ' ').indexOf(' ' + controls.target.value + ' ') < 0) return false;
    var wanted = controls.text.value.trim().toLowerCase();
    if (wanted && text().indexOf(wanted) < 0) return false;
    return true;
  }

  // Header buttons sort; `sort(index, ascending)` reorders the rows.
  function sortable(sort) {
    headers.forEach(function (th, index) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        sort(index, th.dataset.type === 'number', ascending);
      });
    });
  }

  // The rows of a large table drawn a window at a time: only the rows in
  // view of the scroll box `box` (and a screen of margin each side) are in
  // `body`, between two spacers as tall as the rows they stand for. Row
  // heights are measured once drawn and estimated before. `rowElement(i)`
  // makes the <tr> of item i; show(view) draws the items of `view` in
  // order, scrollTo(k) brings the k-th into view. Printing shows them all.
  function windowed(box, body, columns, rowElement) {
    var view = [], heights = new Map(), estimate = 0, seen = 0, seenHeight = 0, printing = false, pending = false;
    function spacer(height) {
      var tr = document.createElement('tr'), td = document.createElement('td');
      tr.className = 'spacer';
      tr.setAttribute('aria-hidden', 'true');
      td.colSpan = columns;
      td.style.height = height + 'px';
      tr.appendChild(td);
      return tr;
    }
    function height(i) { return heights.get(i) || estimate || 48; }
    // Draws the rows of `view` that the scroll box shows, with a screen
    // of margin on each side.
    function draw() {
      pending = false;
      if (printing) return;
      // The box is at most 80% of the window high, less when few rows show.
      var screen = Math.max(box.clientHeight, window.innerHeight || 0, 400);
      var top = box.scrollTop - screen, bottom = box.scrollTop + 2 * screen;
      var first = 0, y = 0, last, before, after = 0;
      if (box.scrollTop > 0 && box.scrollTop + box.clientHeight >= box.scrollHeight - 2) {
        // At the bottom: the last rows, whatever the estimates above them.
        last = first = view.length;
        while (first > 0 && (y < 3 * screen || last - first < 10) && last - first < 400) y += height(view[--first]);
        before = 0;
        for (var b = 0; b < first; b++) before += height(view[b]);
      } else {
        while (first < view.length && y + height(view[first]) < top) y += height(view[first++]);
        before = y;
        last = first;
        while (last < view.length && (y < bottom || last - first < 10) && last - first < 400) y += height(view[last++]);
        for (var k = last; k < view.length; k++) after += height(view[k]);
      }
      var fragment = document.createDocumentFragment(), drawn = [];
      fragment.appendChild(spacer(before));
      for (var j = first; j < last; j++) {
        var tr = rowElement(view[j]);
        tr.dataset.index = String(view[j]);
        drawn.push(tr);
        fragment.appendChild(tr);
      }
      fragment.appendChild(spacer(after));
      body.replaceChildren(fragment);
      var measured = 0, sum = 0;
      drawn.forEach(function (tr) {
        var h = tr.getBoundingClientRect().height;
        if (h > 0) { heights.set(Number(tr.dataset.index), h); measured++; sum += h; }
      });
      seen += measured;
      seenHeight += sum;
      if (seen) estimate = seenHeight / seen;
      // Heights measured earlier (another width, the section not yet laid
      // out) can be stale: draw again until the rows fill the box.
      if (measured && box.clientHeight > 0 && before + sum < bottom && last < view.length && last - first < 400) later();
    }
    function later() {
      if (!pending) { pending = true; requestAnimationFrame(draw); }
    }
    box.addEventListener('scroll', later);
    window.addEventListener('resize', function () { heights.clear(); seen = seenHeight = 0; later(); });
    // The section is laid out only when scrolled to (content-visibility):
    // draw again once it is, with the box's real height.
    if (window.IntersectionObserver) {
      new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) later();
      }).observe(box);
    }
    window.addEventListener('beforeprint', function () {
      printing = true;
      var fragment = document.createDocumentFragment();
      view.forEach(function (i) { fragment.appendChild(rowElement(i)); });
      body.replaceChildren(fragment);
    });
    window.addEventListener('afterprint', function () { printing = false; draw(); });
    return {
      show: function (items) { view = items; box.scrollTop = 0; draw(); },
      scrollTo: function (k) {
        var y = 0;
        for (var j = 0; j < k; j++) y += height(view[j]);
        box.scrollTop = y;
        draw();
      }
    };
  }

  // The other large tables (crossings, coverage; html.cc DataTable).
  document.querySelectorAll('table[data-rows]').forEach(function (other) {
    var data = JSON.parse(document.getElementById(other.dataset.rows).textContent), S = data.s;
    var headerCells = other.dataset.rowHeaders === 'yes';
    var rows = windowed(other.parentNode, other.tBodies[0], other.tHead.rows[0].cells.length, function (i) {
      var tr = document.createElement('tr');
      data.r[i].forEach(function (c, k) {
        var td = document.createElement(headerCells && k === 0 ? 'th' : 'td');
        if (headerCells && k === 0) td.scope = 'row';
        if (typeof c === 'number') {
          td.textContent = S[c];
        } else {
          var inner = document.createElement(c[0] === 'abbr' ? 'abbr' : 'span');
          if (c[0] === 'abbr') inner.title = S[c[2]]; else inner.className = c[0];
          inner.textContent = S[c[1]];
          td.appendChild(inner);
        }
        tr.appendChild(td);
      });
      return tr;
    });
    rows.show(data.r.map(function (r, i) { return i; }));
  });

  // A table of HTML rows (small reports): rows hidden by the filter.
  function plainTable() {
    var rows = Array.prototype.slice.call(body.rows);
    // Each row's text, lower-cased once.
    var texts = new Map();
    function rowText(row) {
      var text = texts.get(row);
      if (text === undefined) { text = row.textContent.toLowerCase(); texts.set(row, text); }
      return text;
    }
    sortable(function (index, numeric, ascending) {
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.value || a.cells[index].textContent;
        var y = b.cells[index].dataset.value || b.cells[index].textContent;
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        if (order === 0) order = Number(a.dataset.rank) - Number(b.dataset.rank);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
    return function () {
      var shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        var visible = passes(d.bucket, d.status, d.resolved === 'yes', d.stride, d.targets, function () { return rowText(row); });
        row.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown + ' of ' + rows.length + ' rows';
      showSelected();
    };
  }

  // A large table (the rows as data, see html.cc threat_data): filter and
  // sort work on the data; only the rows in view of the scroll box are in
  // the page, between two spacers as tall as the rows they stand for.
  // Row heights are measured once drawn and estimated before.
  function virtualTable(data) {
    var S = data.s, R = data.r, columns = headers.length;
    var box = document.getElementById('threat-box');
    var order = R.map(function (r, i) { return i; });
    var view = order;
    var texts = new Array(R.length);
    function targetText(r) { return r[4].map(function (t) { return S[t[0]]; }).join(', '); }
    function text(i) {
      if (texts[i] === undefined) {
        var r = R[i];
        texts[i] = [r[0], S[r[1]], S[r[2]], S[r[3]], targetText(r), S[r[5]], r[6], r[7], r[8], S[r[11]], S[r[13]], S[r[15]]].join(' ').toLowerCase();
      }
      return texts[i];
    }
    function cell(tr, content, className) {
      var td = document.createElement('td');
      if (className) td.className = className;
      if (content !== undefined) td.textContent = String(content);
      tr.appendChild(td);
      return td;
    }
    function rowElement(i) {
      var r = R[i], tr = document.createElement('tr');
      tr.id = 'row-' + S[r[1]];
      tr.dataset.index = String(i);
      tr.dataset.rank = String(r[0]);
      tr.dataset.bucket = S[r[10]];
      tr.dataset.status = S[r[12]];
      tr.dataset.resolved = r[14] ? 'yes' : 'no';
      if (r[14]) tr.className = 'resolved';
      cell(tr, r[0], 'num');
      cell(tr, S[r[1]]);
      var title = cell(tr, S[r[2]]);
      if (S[r[3]]) {
        var muted = document.createElement('span');
        muted.className = 'muted';
        muted.textContent = S[r[3]];
        title.appendChild(document.createElement('br'));
        title.appendChild(muted);
      }
      var targets = cell(tr);
      r[4].forEach(function (t, k) {
        if (k) targets.appendChild(document.createTextNode(', '));
        if (t[1] < 0) { targets.appendChild(document.createTextNode(S[t[0]])); return; }
        var a = document.createElement('a');
        a.className = 'target';
        a.href = '#el-' + S[t[1]];
        a.textContent = S[t[0]];
        targets.appendChild(a);
      });
      cell(tr, S[r[5]]);
      cell(tr, r[6], 'num');
      cell(tr, r[7], 'num');
      cell(tr, r[8], 'num');
      var bucket = cell(tr);
      bucket.dataset.value = String(r[9]);
      var badge = document.createElement('span');
      badge.className = 'bucket b-' + S[r[10]];
      badge.textContent = S[r[11]];
      bucket.appendChild(badge);
      cell(tr, S[r[13]]);
      cell(tr, S[r[15]]);
      return tr;
    }
    var rows = windowed(box, body, columns, rowElement);
    sortable(function (index, numeric, ascending) {
      var key = [function (r) { return r[0]; }, function (r) { return S[r[1]]; }, function (r) { return S[r[2]] + S[r[3]]; }, targetText,
                 function (r) { return S[r[5]]; }, function (r) { return r[6]; }, function (r) { return r[7]; }, function (r) { return r[8]; },
                 function (r) { return r[9]; }, function (r) { return S[r[13]]; }, function (r) { return S[r[15]]; }][index];
      var keys = R.map(key), collator = new Intl.Collator();
      order = order.slice().sort(function (a, b) {
        var o = numeric ? keys[a] - keys[b] : collator.compare(keys[a], keys[b]);
        if (o === 0) o = R[a][0] - R[b][0];
        return ascending ? o : -o;
      });
      filter();
    });
    function filter() {
      view = order.filter(function (i) {
        var r = R[i];
        return passes(S[r[10]], S[r[12]], r[14] === 1, S[r[16]], S[r[17]], function () { return text(i); });
      });
      count.textContent = view.length + ' of ' + R.length + ' rows';
      rows.show(view);
      showSelected();
    }
    // A link to #row-ID shows that row (clearing the filter when it hides it).
    function reveal() {
      if (!/^#row-/.test(location.hash)) return;
      var id;
      try { id = decodeURIComponent(location.hash.slice(5)); } catch (e) { return; }
      if (document.getElementById('row-' + id)) return;
      var find = function () { return view.findIndex(function (i) { return S[R[i][1]] === id; }); };
      var at = find();
      if (at < 0) {
        Object.keys(controls).forEach(function (key) { controls[key].value = ''; });
        filter();
        at = find();
        if (at < 0) return;
      }
      rows.scrollTo(at);
      var row = document.getElementById('row-' + id);
      if (row) row.scrollIntoView();
    }
    window.addEventListener('hashchange', reveal);
    setTimeout(reveal, 0);
    return filter;
  }

  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener(key === 'text' ? 'input' : 'change', apply);
  });
  document.getElementById('f-reset').addEventListener('click', function () {
    Object.keys(controls).forEach(function (key) { controls[key].value = ''; });
    apply();
  });

  // The DFD: a click (or Enter) on an element filters the table to it.
  // Delegated, so drawings inserted later (per-boundary ones) work too.
  function decorate(root) {
    root.querySelectorAll('.dfd g.node[id^="el-"]').forEach(function (node) {
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.setAttribute('aria-label', 'Show the threats of ' + node.id.replace(/^el-/, ''));
    });
  }
  function selectNode(node) {
    var id = node.id.replace(/^el-/, '');
    var known = Array.prototype.some.call(controls.target.options, function (o) { return o.value === id; });
    controls.target.value = known && controls.target.value !== id ? id : '';
    apply();
    if (controls.target.value) document.getElementById('threats').scrollIntoView();
  }
  function nodeOf(event) {
    var node = event.target.closest ? event.target.closest('.dfd g.node[id^="el-"]') : null;
    return node;
  }
  document.addEventListener('click', function (event) {
    var node = nodeOf(event);
    if (node && !dragged) selectNode(node);
  });
  document.addEventListener('keydown', function (event) {
    var node = nodeOf(event);
    if (node && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); selectNode(node); }
  });

  // Zoom and pan: the drawing fits the page width but never shrinks below
  // a readable size (its 9 pt labels at 9 px); +, - and Fit buttons,
  // Ctrl+wheel zooms, dragging pans.
  var MIN_SCALE = 1, MAX_FIT = 1.5, dragged = false;
  function zoomable(box) {
    var svg = box ? box.querySelector('svg') : null;
    if (!svg || box.dataset.zoom) return;
    box.dataset.zoom = 'on';
    var view = svg.viewBox && svg.viewBox.baseVal;
    var width = view && view.width ? view.width : svg.getBoundingClientRect().width;
    var height = view && view.height ? view.height : svg.getBoundingClientRect().height;
    if (!width || !height) return;
    function fit() { return Math.max(MIN_SCALE, Math.min(MAX_FIT, (box.clientWidth - 20) / width)); }
    var scale = fit();
    function show() {
      svg.setAttribute('width', String(Math.round(width * scale)));
      svg.setAttribute('height', String(Math.round(height * scale)));
    }
    var bar = document.createElement('div');
    bar.className = 'zoom noprint';
    [['+', 'Zoom in', 1.25], ['\u2212', 'Zoom out', 0.8], ['Fit', 'Fit the width', 0]].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = b[0];
      button.setAttribute('aria-label', b[1]);
      button.addEventListener('click', function () {
        scale = b[2] ? Math.min(8, Math.max(0.1, scale * b[2])) : fit();
        show();
      });
      bar.appendChild(button);
    });
    box.parentNode.insertBefore(bar, box);
    box.addEventListener('wheel', function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      scale = Math.min(8, Math.max(0.1, scale * (event.deltaY < 0 ? 1.1 : 0.9)));
      show();
    }, { passive: false });
    var start = null;
    box.addEventListener('pointerdown', function (event) {
      start = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop };
      dragged = false;
    });
    box.addEventListener('pointermove', function (event) {
      if (!start) return;
      var dx = event.clientX - start.x, dy = event.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) dragged = true;
      box.scrollLeft = start.left - dx;
      box.scrollTop = start.top - dy;
    });
    ['pointerup', 'pointerleave', 'pointercancel'].forEach(function (name) {
      box.addEventListener(name, function () { start = null; setTimeout(function () { dragged = false; }, 0); });
    });
    show();
  }
  document.querySelectorAll('#dfd > .dfd').forEach(zoomable);
  decorate(document);

  // Per-boundary drawings of an overview: inserted from their text block
  // (tmc's own escaped markup) when the boundary is opened.
  function open(details) {
    var source = details.querySelector('script.sketch-src');
    if (!source) return;
    var holder = document.createElement('div');
    holder.innerHTML = source.textContent;
    while (holder.firstChild) details.appendChild(holder.firstChild);
    source.parentNode.removeChild(source);
    decorate(details);
    zoomable(details.querySelector('.dfd'));
    showSelected();
  }
  document.querySelectorAll('details.boundary').forEach(function (details) {
    details.addEventListener('toggle', function () { if (details.open) open(details); });
  });

  // A row's target link selects the element in the DFD (opening its
  // boundary first when the diagram is an overview).
  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a.target') : null;
    if (!link) return;
    var id = link.getAttribute('href').replace(/^#el-/, '');
    if (!document.getElementById('el-' + id)) {
      document.querySelectorAll('details.boundary').forEach(function (details) {
        var source = details.querySelector('script.sketch-src');
        var escaped = id.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        if (source && source.textContent.indexOf('id="el-' + escaped + '"') >= 0) {
          details.open = true;
          open(details);
        }
      });
    }
    document.querySelectorAll('.dfd g.node').forEach(function (node) {
      node.classList.toggle('selected', node.id === 'el-' + id);
    });
  });

  apply();
})();
