// minplan maps: one module for every page with a map (规划区块, 申请受理, 审查记录, 矿业权,
// 图层管理). OpenLayers in the plan's CGCS2000 Gauss–Krüger zone; proj4 definitions of every
// CGCS2000 Gauss–Krüger CRS (3° zones 25–45: EPSG:4513–4533 with the zone prefix in Y,
// 4534–4554 without; 6° zones 13–23: 4491–4501 with, 4502–4512 without) and EPSG:4490.
// Coordinates are shown as X (north) / Y (east, with the zone prefix) and as lon/lat.
// Layers come from the page (data-layers: API URLs or inline GeoJSON), a layer switcher,
// attributes on click, a measure tool whose numbers come from the server
// (POST /api/measure: ellipsoidal length and area, TD/T 1055-2019 附录D), and optional base
// tiles (data-tile-url; none by default — nothing is loaded from the network).
//
// Page scripts get the map from the `minplan:map-ready` event on the map element:
// `event.detail.api.setLayer(id, name, geojson, styleName, fit)`.
(function () {
  'use strict';
  if (typeof ol === 'undefined' || typeof proj4 === 'undefined') return;

  // --- Coordinate reference systems -------------------------------------------------------
  const ELLPS = '+ellps=GRS80 +units=m +no_defs'; // CGCS2000's ellipsoid (f differs at 1e-12)
  proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs');
  function tmerc(cm, x0) {
    return '+proj=tmerc +lat_0=0 +lon_0=' + cm + ' +k=1 +x_0=' + x0 + ' +y_0=0 ' + ELLPS;
  }
  for (let z = 25; z <= 45; z++) {
    proj4.defs('EPSG:' + (4513 + z - 25), tmerc(3 * z, z * 1e6 + 500000));
    proj4.defs('EPSG:' + (4534 + z - 25), tmerc(3 * z, 500000));
  }
  for (let z = 13; z <= 23; z++) {
    proj4.defs('EPSG:' + (4491 + z - 13), tmerc(6 * z - 3, z * 1e6 + 500000));
    proj4.defs('EPSG:' + (4502 + z - 13), tmerc(6 * z - 3, 500000));
  }
  ol.proj.proj4.register(proj4);

  // --- Styles -------------------------------------------------------------------------------
  function style(stroke, fill, width, dash) {
    return new ol.style.Style({
      stroke: new ol.style.Stroke({ color: stroke, width: width || 1.5, lineDash: dash }),
      fill: new ol.style.Fill({ color: fill }),
    });
  }
  function pointStyle(color, radius, text, textColor) {
    return new ol.style.Style({
      image: new ol.style.Circle({
        radius: radius,
        fill: new ol.style.Fill({ color: color }),
        stroke: new ol.style.Stroke({ color: '#fff', width: 1.5 }),
      }),
      text: text ? new ol.style.Text({
        text: String(text), offsetY: -radius - 8, font: '600 12px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
        fill: new ol.style.Fill({ color: textColor || '#1d2530' }),
        stroke: new ol.style.Stroke({ color: '#fff', width: 3 }),
      }) : undefined,
    });
  }
  const blockStyles = {
    '勘查': style('#1f6fd1', 'rgba(31,111,209,0.10)', 2, [6, 4]),
    '开采': style('#c62828', 'rgba(198,40,40,0.18)', 2),
  };
  const rightStyles = {
    '在审': style('#e07b00', 'rgba(224,123,0,0.15)', 2, [8, 4]),
    '有效': style('#00695c', 'rgba(0,105,92,0.15)', 2),
    other: style('#8a8a8a', 'rgba(138,138,138,0.12)', 1.5, [2, 3]),
  };
  const STYLES = {
    outline: { style: style('#333', 'rgba(0,0,0,0)', 2, [10, 6]), color: '#333' },
    ecological_red_line: { style: style('#2e7d32', 'rgba(46,125,50,0.22)'), color: '#2e7d32' },
    permanent_basic_farmland: { style: style('#c49000', 'rgba(240,200,40,0.35)'), color: '#c49000' },
    urban_development_boundary: { style: style('#6d6d6d', 'rgba(120,120,120,0.20)'), color: '#6d6d6d' },
    visible_corridor: { style: style('#7b3fa0', 'rgba(123,63,160,0.15)'), color: '#7b3fa0' },
    blocks: { style: function (f) { return blockStyles[f.get('kind')] || blockStyles['开采']; }, color: '#c62828' },
    rights: { style: function (f) { return rightStyles[f.get('status')] || rightStyles.other; }, color: '#00695c' },
    application: { style: style('#d50000', 'rgba(213,0,0,0.10)', 3), color: '#d50000' },
    conflict: { style: style('#6a00b8', 'rgba(106,0,184,0.55)', 1.5), color: '#6a00b8' },
    corners: {
      style: function (f) {
        if (f.getGeometry().getType() === 'Point') return pointStyle('#1f4e8c', 4, f.get('label'));
        return style('#1f4e8c', 'rgba(0,0,0,0)', 2, [4, 3]);
      },
      color: '#1f4e8c',
    },
    problems: {
      style: function (f) {
        return pointStyle(f.get('severity') === 'warning' ? '#e07b00' : '#d50000', 8, '!' + (f.get('label') || ''), '#b42318');
      },
      color: '#d50000',
    },
    measure: { style: style('#ff6d00', 'rgba(255,109,0,0.15)', 2.5, [6, 4]), color: '#ff6d00' },
  };

  // --- Attributes ---------------------------------------------------------------------------
  const NAMES = {
    layer: '图层', rule: '规则', rule_title: '审查事项', outcome: '结论', number: '编号', id: '编号',
    name: '名称', label: '点号', message: '问题', holder_name: '矿业权人', kind_label: '类型', kind: '类别',
    status: '状态', approval: '划定/审批', minerals: '矿种', category: '矿种类别', capacity: '生产规模',
    valid_to: '有效期至', conclusion: '最近审查结论', area_km2: '椭球面积（km²）', area_m2: '面积（m²）',
    percent: '占申请范围（%）', class: '类型', cite: '出处', buffer_m: '缓冲宽度（米）', source: '来源',
  };
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function fmtValue(k, v) {
    if (Array.isArray(v)) return v.length ? v.join('、') : '（未载明）';
    if (typeof v === 'number' && (k === 'area_m2')) return v.toFixed(2);
    if (typeof v === 'number' && (k === 'percent')) return v.toFixed(2);
    return v;
  }

  // --- CSRF token for the measure request ---------------------------------------------------
  let token = null;
  function csrfToken() {
    const input = document.querySelector('input[name="csrf_token"]');
    if (input && input.value) return Promise.resolve(input.value);
    if (token) return Promise.resolve(token);
    return fetch('/api/session', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) { token = j.csrf_token; return token; });
  }

  // --- One map ------------------------------------------------------------------------------
  function create(el) {
    const zone = Number(el.dataset.zone);
    const code = 'EPSG:' + el.dataset.epsg;
    const fmt = new ol.format.GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: code });
    const defs = JSON.parse(el.dataset.layers || '[]');
    const layers = [];
    const byId = {};
    let fitExtent = ol.extent.createEmpty();
    const inlineFits = [];
    const view = new ol.View({ projection: code, center: ol.proj.fromLonLat([131.1, 44.41], code), zoom: 10 });

    if (el.dataset.tileUrl) {
      const tiles = new ol.layer.Tile({ source: new ol.source.XYZ({ url: el.dataset.tileUrl }) });
      tiles.set('title', '底图');
      tiles.set('color', '#999');
      layers.push(tiles);
    }

    function fitTo(source) {
      const e = source.getExtent();
      if (!e || !isFinite(e[0])) return;
      ol.extent.extend(fitExtent, e);
      view.fit(fitExtent, { padding: [30, 30, 30, 30], minResolution: 0.3 });
    }

    function makeLayer(d) {
      const s = STYLES[d.style] || STYLES.outline;
      let source;
      if (d.geojson) {
        source = new ol.source.Vector({ features: fmt.readFeatures(d.geojson) });
      } else {
        source = new ol.source.Vector({ url: d.url, format: fmt });
      }
      const layer = new ol.layer.Vector({ source: source, style: s.style, visible: d.visible !== false });
      layer.set('title', d.name);
      layer.set('id', d.id);
      layer.set('color', s.color);
      if (d.fit) {
        // Fit once the map exists (it knows its size then): inline data at once, URLs when
        // they have loaded.
        if (d.geojson) inlineFits.push(source);
        else source.once('featuresloadend', function () { fitTo(source); });
      }
      return layer;
    }
    defs.forEach(function (d) { const l = makeLayer(d); byId[d.id] = l; layers.push(l); });
    const measureSource = new ol.source.Vector();
    const measureLayer = new ol.layer.Vector({ source: measureSource, style: STYLES.measure.style });
    measureLayer.set('id', 'measure');
    layers.push(measureLayer);

    const map = new ol.Map({
      target: el,
      layers: layers,
      view: view,
      controls: ol.control.defaults.defaults({ attribution: false }).extend([new ol.control.ScaleLine({ units: 'metric' })]),
    });

    inlineFits.forEach(fitTo);

    // Layer switcher.
    const wrap = el.parentElement;
    const sw = wrap.querySelector('.layer-switcher');
    function switcherEntry(layer) {
      if (!sw || !layer.get('title')) return;
      const label = document.createElement('label');
      label.dataset.layer = layer.get('id') || '';
      const cb = document.createElement('input');
      cb.type = 'checkbox'; cb.checked = layer.getVisible();
      cb.addEventListener('change', function () { layer.setVisible(cb.checked); });
      const swatch = document.createElement('span');
      swatch.className = 'swatch'; swatch.style.borderColor = layer.get('color') || '#333';
      label.append(cb, swatch, document.createTextNode(layer.get('title')));
      sw.appendChild(label);
    }
    layers.forEach(switcherEntry);

    // Attributes on click.
    const popup = wrap.querySelector('.popup');
    map.on('singleclick', function (evt) {
      if (drawing) return;
      const hits = [];
      map.forEachFeatureAtPixel(evt.pixel, function (f, layer) { if (layer && layer.get('title')) hits.push([f, layer]); });
      if (!popup) return;
      if (!hits.length) { popup.hidden = true; return; }
      let html = '<button type="button" class="close" title="关闭">×</button>';
      hits.slice(0, 5).forEach(function (h) {
        const p = h[0].getProperties();
        html += '<p><strong>' + esc(h[1].get('title')) + '</strong>' + (p.schematic || p['示意'] ? ' <span class="badge schematic">示意</span>' : '') + '</p><table>';
        Object.keys(NAMES).forEach(function (k) {
          let v = p[k];
          if (v === undefined || v === null || v === '' || (k === 'kind' && p.kind_label)) return;
          html += '<tr><th>' + NAMES[k] + '</th><td>' + esc(fmtValue(k, v)) + '</td></tr>';
        });
        html += '</table>';
      });
      popup.innerHTML = html;
      popup.hidden = false;
      popup.querySelector('.close').addEventListener('click', function () { popup.hidden = true; });
    });

    // Mouse position: X/Y with the zone prefix (as Chinese tables write them) and lon/lat.
    const pos = wrap.querySelector('.mouse-position');
    map.on('pointermove', function (evt) {
      if (!pos) return;
      const c = evt.coordinate;
      const ll = ol.proj.transform(c, code, 'EPSG:4490');
      const y = zone * 1e6 + c[0];
      pos.textContent = 'X ' + c[1].toFixed(2) + '  Y ' + y.toFixed(2) + '   经度 ' + ll[0].toFixed(6) + '°  纬度 ' + ll[1].toFixed(6) + '°';
    });

    // Measure tool: draw, then ask the server for the ellipsoidal length and area.
    let draw = null;
    let drawing = false;
    const result = wrap.querySelector('.measure-result');
    function showResult(text, error) {
      if (!result) return;
      result.textContent = text;
      result.className = 'measure-result' + (error ? ' error' : '');
    }
    function measure(kind) {
      if (draw) { map.removeInteraction(draw); draw = null; }
      if (kind === 'clear') { measureSource.clear(); showResult(''); drawing = false; return; }
      drawing = true;
      draw = new ol.interaction.Draw({ source: measureSource, type: kind });
      map.addInteraction(draw);
      showResult(kind === 'Polygon' ? '单击添加顶点，双击结束' : '单击添加点，双击结束');
      draw.on('drawend', function (e) {
        map.removeInteraction(draw); draw = null;
        // OpenLayers reports a single click 250 ms after it: keep the popup closed until then.
        setTimeout(function () { drawing = false; }, 500);
        const g = e.feature.getGeometry().clone().transform(code, 'EPSG:4490');
        const geometry = { type: g.getType(), coordinates: g.getCoordinates() };
        csrfToken().then(function (t) {
          return fetch('/api/measure', {
            method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': t },
            body: JSON.stringify({ geometry: geometry }),
          });
        }).then(function (r) { return r.json(); }).then(function (j) {
          if (j.code) { showResult('量测失败：' + j.message, true); return; }
          if (j.kind === 'Polygon') {
            showResult('椭球面积 ' + j.area_m2.toFixed(2) + ' 平方米（' + j.area_km2.toFixed(4) + ' 平方千米），周长 ' + j.length_m.toFixed(2) + ' 米');
          } else {
            showResult('椭球面长度 ' + j.length_m.toFixed(2) + ' 米');
          }
        }).catch(function () { showResult('量测失败：无法连接服务器', true); });
      });
    }
    wrap.querySelectorAll('[data-measure]').forEach(function (b) {
      if (b === el) return;
      b.addEventListener('click', function () { measure(b.dataset.measure); });
    });

    const api = {
      map: map,
      view: view,
      code: code,
      format: fmt,
      // Replaces (or adds) the inline layer `id`.
      setLayer: function (id, name, geojson, styleName, fit) {
        if (byId[id]) { map.removeLayer(byId[id]); const old = sw && sw.querySelector('label[data-layer="' + id + '"]'); if (old) old.remove(); }
        const l = makeLayer({ id: id, name: name, geojson: geojson, style: styleName, visible: true, fit: false });
        byId[id] = l;
        map.getLayers().insertAt(map.getLayers().getLength() - 1, l);
        switcherEntry(l);
        if (fit) {
          const e = l.getSource().getExtent();
          if (e && isFinite(e[0])) view.fit(e, { padding: [40, 40, 40, 40], minResolution: 0.2 });
        }
        return l;
      },
    };
    el.minplan = api;
    el.dataset.ready = '1';
    el.dispatchEvent(new CustomEvent('minplan:map-ready', { bubbles: true, detail: { api: api } }));
    return api;
  }

  window.MinplanMap = { create: create, styles: STYLES };
  function init() {
    document.querySelectorAll('.map[data-layers]').forEach(create);
  }
  // Deferred page scripts run after this one and before DOMContentLoaded: initialising then
  // lets them listen for `minplan:map-ready` first.
  if (document.readyState === 'complete') init();
  else document.addEventListener('DOMContentLoaded', init);
})();
