// The threat table: sort by any column, filter by bucket, status, STRIDE
// letter, target and free text; the DFD filters the table on click and a
// row's target link shows the element in the DFD. Plain JavaScript.
(function () {
  'use strict';
  var table = document.getElementById('threat-table');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var controls = {
    bucket: document.getElementById('f-bucket'),
    status: document.getElementById('f-status'),
    stride: document.getElementById('f-stride'),
    target: document.getElementById('f-target'),
    text: document.getElementById('f-text')
  };
  var count = document.getElementById('result-count');

  // Each row's text, lower-cased once: a filter on a 40,000-row table
  // must not rebuild it on every keystroke.
  var texts = new Map();
  function rowText(row) {
    var text = texts.get(row);
    if (text === undefined) { text = row.textContent.toLowerCase(); texts.set(row, text); }
    return text;
  }

  function matches(row) {
    var d = row.dataset;
    if (controls.bucket.value && d.bucket !== controls.bucket.value) return false;
    if (controls.status.value === 'unresolved' && d.resolved === 'yes') return false;
    if (controls.status.value && controls.status.value !== 'unresolved' && d.status !== controls.status.value) return false;
    if (controls.stride.value && d.stride.indexOf(controls.stride.value) < 0) return false;
    if (controls.target.value && (' ' + d.targets + ' ').indexOf(' ' + controls.target.value + ' ') < 0) return false;
    var text = controls.text.value.trim().toLowerCase();
    if (text && rowText(row).indexOf(text) < 0) return false;
    return true;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      row.hidden = !visible;
      if (visible) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' rows';
    var selected = controls.target.value;
    document.querySelectorAll('.dfd g.node').forEach(function (node) {
      node.classList.toggle('selected', selected !== '' && node.id === 'el-' + selected);
    });
  }

  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener(key === 'text' ? 'input' : 'change', apply);
  });
  document.getElementById('f-reset').addEventListener('click', function () {
    Object.keys(controls).forEach(function (key) { controls[key].value = ''; });
    apply();
  });

  // Sorting: numbers numerically, text alphabetically; the rank column
  // restores the ranked order.
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, index) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var numeric = th.dataset.type === 'number';
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.value || a.cells[index].textContent;
        var y = b.cells[index].dataset.value || b.cells[index].textContent;
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        if (order === 0) order = Number(a.dataset.rank) - Number(b.dataset.rank);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
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

  // Per-boundary drawings of an overview: inserted from their <template>
  // when the boundary is opened.
  function open(details) {
    var template = details.querySelector('template');
    if (!template) return;
    details.appendChild(template.content.cloneNode(true));
    template.parentNode.removeChild(template);
    decorate(details);
    zoomable(details.querySelector('.dfd'));
    apply();
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
        var template = details.querySelector('template');
        if (template && template.content.querySelector('[id="el-' + CSS.escape(id) + '"]')) {
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
