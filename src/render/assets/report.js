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

  function matches(row) {
    var d = row.dataset;
    if (controls.bucket.value && d.bucket !== controls.bucket.value) return false;
    if (controls.status.value === 'unresolved' && d.resolved === 'yes') return false;
    if (controls.status.value && controls.status.value !== 'unresolved' && d.status !== controls.status.value) return false;
    if (controls.stride.value && d.stride.indexOf(controls.stride.value) < 0) return false;
    if (controls.target.value && (' ' + d.targets + ' ').indexOf(' ' + controls.target.value + ' ') < 0) return false;
    var text = controls.text.value.trim().toLowerCase();
    if (text && row.textContent.toLowerCase().indexOf(text) < 0) return false;
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
  document.querySelectorAll('.dfd g.node').forEach(function (node) {
    var id = node.id.replace(/^el-/, '');
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.setAttribute('aria-label', 'Show the threats of ' + id);
    function select() {
      var known = Array.prototype.some.call(controls.target.options, function (o) { return o.value === id; });
      controls.target.value = known && controls.target.value !== id ? id : '';
      apply();
      if (controls.target.value) document.getElementById('threats').scrollIntoView();
    }
    node.addEventListener('click', select);
    node.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(); }
    });
  });

  // A row's target link selects the element in the DFD.
  document.querySelectorAll('a.target').forEach(function (link) {
    link.addEventListener('click', function () {
      var id = link.getAttribute('href').replace(/^#el-/, '');
      document.querySelectorAll('.dfd g.node').forEach(function (node) {
        node.classList.toggle('selected', node.id === 'el-' + id);
      });
    });
  });

  apply();
})();
