// 规划区块分布图: OpenLayers in the plan's Gauss–Krüger zone (CGCS2000), layers from the API.
// No external tiles: works offline. Coordinates shown as X (north) / Y (east, with zone
// prefix) and as longitude/latitude.
(function () {
  'use strict';
  const el = document.getElementById('map');
  if (!el || typeof ol === 'undefined' || typeof proj4 === 'undefined') return;
  const cm = el.dataset.cm, zone = el.dataset.zone;
  const code = 'EPSG:' + el.dataset.epsg;
  proj4.defs(code, '+proj=tmerc +lat_0=0 +lon_0=' + cm + ' +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs');
  proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs');
  ol.proj.proj4.register(proj4);
  const fmt = new ol.format.GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: code });

  function style(stroke, fill, width, dash) {
    return new ol.style.Style({
      stroke: new ol.style.Stroke({ color: stroke, width: width || 1.5, lineDash: dash }),
      fill: new ol.style.Fill({ color: fill }),
    });
  }
  const blockStyles = {
    '勘查': style('#1f6fd1', 'rgba(31,111,209,0.10)', 2, [6, 4]),
    '开采': style('#c62828', 'rgba(198,40,40,0.18)', 2),
  };
  const defs = [
    { id: 'outline', name: '行政区范围', url: '/api/plan/outline', style: style('#333', 'rgba(0,0,0,0)', 2, [10, 6]), color: '#333' },
    { id: 'ecological_red_line', name: '生态保护红线', url: '/api/plan/layers/ecological_red_line', style: style('#2e7d32', 'rgba(46,125,50,0.22)'), color: '#2e7d32' },
    { id: 'permanent_basic_farmland', name: '永久基本农田', url: '/api/plan/layers/permanent_basic_farmland', style: style('#c49000', 'rgba(240,200,40,0.35)'), color: '#c49000' },
    { id: 'urban_development_boundary', name: '城镇开发边界', url: '/api/plan/layers/urban_development_boundary', style: style('#6d6d6d', 'rgba(120,120,120,0.20)'), color: '#6d6d6d' },
    { id: 'visible_corridor', name: '三区两线可视范围', url: '/api/plan/layers/visible_corridor', style: style('#7b3fa0', 'rgba(123,63,160,0.15)'), color: '#7b3fa0' },
    { id: 'blocks', name: '规划区块（勘查虚线/开采实线）', url: '/api/plan/blocks', style: function (f) { return blockStyles[f.get('kind')] || blockStyles['开采']; }, color: '#c62828' },
  ];
  const layers = defs.map(function (d) {
    const src = new ol.source.Vector({ url: d.url, format: fmt });
    const layer = new ol.layer.Vector({ source: src, style: d.style });
    layer.set('title', d.name);
    layer.set('id', d.id);
    return layer;
  });
  const view = new ol.View({ projection: code, center: ol.proj.fromLonLat([131.1, 44.41], code), zoom: 10 });
  const map = new ol.Map({
    target: el,
    layers: layers,
    view: view,
    controls: ol.control.defaults.defaults({ attribution: false }).extend([new ol.control.ScaleLine({ units: 'metric' })]),
  });
  // Fit to the county once the outline has loaded.
  const outlineSrc = layers[0].getSource();
  outlineSrc.once('featuresloadend', function () {
    view.fit(outlineSrc.getExtent(), { padding: [20, 20, 20, 20] });
  });

  // Layer switcher.
  const sw = document.getElementById('layer-switcher');
  defs.forEach(function (d, i) {
    const label = document.createElement('label');
    const cb = document.createElement('input');
    cb.type = 'checkbox'; cb.checked = true;
    cb.addEventListener('change', function () { layers[i].setVisible(cb.checked); });
    const swatch = document.createElement('span');
    swatch.className = 'swatch'; swatch.style.borderColor = d.color;
    label.append(cb, swatch, document.createTextNode(d.name));
    sw.appendChild(label);
  });

  // Attributes on click.
  const popup = document.getElementById('popup');
  const names = { number: '编号', name: '名称', kind_label: '类型', kind: '类别', approval: '划定/审批', minerals: '矿种', category: '矿种类别', area_km2: '椭球面积（km²）', cite: '出处', layer: '图层', id: '编号', buffer_m: '缓冲宽度（米）', source: '来源' };
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  map.on('singleclick', function (evt) {
    const hits = [];
    map.forEachFeatureAtPixel(evt.pixel, function (f, layer) { hits.push([f, layer]); });
    if (!hits.length) { popup.hidden = true; return; }
    let html = '<button class="close" title="关闭">×</button>';
    hits.slice(0, 4).forEach(function (h) {
      const p = h[0].getProperties();
      html += '<p><strong>' + esc(h[1].get('title')) + '</strong>' + (p.schematic ? ' <span class="badge schematic">示意</span>' : '') + '</p><table>';
      Object.keys(names).forEach(function (k) {
        let v = p[k];
        if (v === undefined || v === null || v === '' || k === 'kind' && p.kind_label) return;
        if (Array.isArray(v)) v = v.length ? v.join('、') : '（规划未载明）';
        html += '<tr><th>' + names[k] + '</th><td>' + esc(v) + '</td></tr>';
      });
      html += '</table>';
    });
    popup.innerHTML = html;
    popup.hidden = false;
    popup.querySelector('.close').addEventListener('click', function () { popup.hidden = true; });
  });

  // Mouse position: X/Y with zone prefix (Chinese tables) and lon/lat.
  const pos = document.getElementById('mouse-position');
  map.on('pointermove', function (evt) {
    const c = evt.coordinate;
    const ll = ol.proj.toLonLat(c, code);
    const y = Number(zone) * 1e6 + c[0];
    pos.textContent = 'X ' + c[1].toFixed(2) + '  Y ' + y.toFixed(2) + '   经度 ' + ll[0].toFixed(6) + '°  纬度 ' + ll[1].toFixed(6) + '°';
  });
})();
