// Jiedao KG viewer. All user text reaches the page through textContent, never innerHTML:
// labels and quotes come from hand-written fact files and must never become markup.
(function () {
  "use strict";
  performance.mark("kg:start");
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  performance.mark("kg:parsed");
  const classes = data.classes;
  data.nodes.forEach((n) => {  // fields left out of the page when empty
    n.altLabels = n.altLabels || [];
    n.sds = n.sds || [];
    n.search = n.search || [n.label.toLowerCase()];
    n.metric = n.metric || null;
  });
  data.edges.forEach((e) => {
    e.derived = Boolean(e.derived);
    e.repeat = Boolean(e.repeat);
    e.derivations = e.derivations || [];
    e.sources = [...new Set(e.evidence.map((x) => x.article))];
  });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const incident = new Map(data.nodes.map((n) => [n.id, []]));
  data.edges.forEach((e) => {
    incident.get(e.from).push(e.id);
    if (e.to !== e.from) incident.get(e.to).push(e.id);
  });
  const big = data.nodes.length > 3000;
  // Captions of qualifiers and metric kinds come from the ontology (data.concepts).
  const QUALIFIER = data.concepts.qualifier;
  const KIND = data.concepts.kind;
  const BASIS = data.concepts.basis;

  // ------------------------------------------------------------ what is shown: the state
  // Derived edges (facts by office, drawn dashed) can be hidden at once; the period keeps
  // what articles dated in it say (plus undated ones unless excluded); "closeUp" is the
  // zoom at which every edge label is drawn, not only the first of each kind at a node.
  let showDerived = true;
  const period = { from: "", to: "", undated: true };
  let closeUp = false;
  const CLOSE_UP = 1.1;
  function sourceInPeriod(a) {
    const info = data.articles[a];
    if (!info || info.reference) return true;  // the division table is not dated news
    if (!info.date) return period.undated;
    const month = info.date.slice(0, 7);
    return !(period.from && month < period.from) && !(period.to && month > period.to);
  }
  const periodActive = () => Boolean(period.from || period.to || !period.undated);
  const inPeriod = (sources) => !periodActive() || !sources.length || sources.some(sourceInPeriod);
  const edgePasses = (e) => (showDerived || !e.derived) && inPeriod(e.sources);

  // ------------------------------------------------------------ small DOM helpers
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function button(text, cls, onClick, title) {
    const b = el("button", text, cls);
    b.type = "button";
    if (title) b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function swatch(spec) {
    // The class's vis-network shape, drawn small for the legend.
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "-10 -10 20 20");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("aria-hidden", "true");
    const poly = (points) => {
      const p = document.createElementNS(SVG, "polygon");
      p.setAttribute("points", points.map((q) => q.join(",")).join(" "));
      return p;
    };
    const ring = (n, r, start) => Array.from({ length: n }, (_, i) => {
      const a = start + (2 * Math.PI * i) / n;
      return [(r * Math.cos(a)).toFixed(2), (r * Math.sin(a)).toFixed(2)];
    });
    let shape;
    switch (spec.shape) {
      case "square": shape = poly([[-7, -7], [7, -7], [7, 7], [-7, 7]]); break;
      case "diamond": shape = poly([[0, -9], [9, 0], [0, 9], [-9, 0]]); break;
      case "triangle": shape = poly([[0, -9], [8, 6], [-8, 6]]); break;
      case "triangleDown": shape = poly([[0, 9], [8, -6], [-8, -6]]); break;
      case "hexagon": shape = poly(ring(6, 8.5, 0)); break;
      case "star": shape = poly(ring(10, 9, -Math.PI / 2).map((q, i) =>
        (i % 2 ? [(q[0] * 0.45).toFixed(2), (q[1] * 0.45).toFixed(2)] : q))); break;
      default:
        shape = document.createElementNS(SVG, "circle");
        shape.setAttribute("r", "7");
    }
    shape.setAttribute("fill", spec.color);
    shape.setAttribute("stroke", "#33415c");
    shape.setAttribute("stroke-width", "1");
    svg.appendChild(shape);
    return svg;
  }
  function articleTitle(id, fallback) {
    return (data.articles[id] && data.articles[id].title) || fallback || "";
  }

  // ------------------------------------------------------------ the network
  // pyvis built the vis-network nodes and edges (id, label, x, y, shape, colour, size); we
  // add label fonts and visibility. Nodes of classes hidden by default (metrics) enter the
  // network only when first shown: half the work of opening a large map.
  const shownClasses = new Set(data.visibleByDefault);
  const short = (text) => (text.length <= 12 ? text : `${text.slice(0, 11)}…`);
  const isLandmark = (n) => Boolean(classes[n.type].screen);
  function makeNode(id, hidden) {
    const n = byId.get(id);
    const spec = classes[n.type];
    return {
      id, x: n.x, y: n.y, shape: n.shape, size: n.size,
      // landmarks' labels are drawn by the label layer below, at a legible size; on a big
      // map the others are added when zoomed in far enough to read them (labelViewport)
      label: isLandmark(n) || big ? undefined : short(n.label),
      color: { background: n.color, border: "#2d3748",
               highlight: { background: "#ffd23f", border: "#111827" },
               hover: { background: n.color, border: "#111827" } },
      borderWidth: 1,
      font: { size: spec.font, face: data.font, color: "#1f2933",
              strokeWidth: 4, strokeColor: "rgba(255,255,255,0.92)" },
      hidden,
    };
  }
  // A repeated label (the 20th 组织方 into one subdistrict) is drawn only close up. (A
  // blank, not "": vis-network ignores an update to "" or null and keeps the old label.)
  const edgeLabel = (e) => (e.repeat && !closeUp ? " " : e.label);
  function makeEdge(id) {
    const e = edgeById.get(id);
    const post = e.key === "post";
    return {
      id, from: e.from, to: e.to, label: big ? undefined : edgeLabel(e),
      arrows: { to: { enabled: true, scaleFactor: 0.6 } },
      dashes: e.derived ? [7, 5] : false,
      font: { size: 13, face: data.font,
              color: post ? "#7f1d1d" : (e.derived ? "#5b3f96" : "#52606d"),
              strokeWidth: 4, strokeColor: "#ffffff", align: "horizontal" },
      color: { color: post ? "#c05656" : (e.derived ? "#9b86c8" : "#a3adb8"),
               highlight: "#111827", hover: "#3e4c59" },
      width: post ? 2.4 : (e.key === "leads" ? 2 : (e.derived ? 1.3 : 1.1)),
      hidden: !edgePasses(e),
    };
  }
  const present = new Set();
  const edgesPresent = new Set();
  const initialNodes = [];
  data.nodes.forEach((n) => {
    if (shownClasses.has(n.type)) { present.add(n.id); initialNodes.push(makeNode(n.id, false)); }
  });
  const initialEdges = [];
  data.edges.forEach((e) => {
    if (present.has(e.from) && present.has(e.to)) {
      edgesPresent.add(e.id);
      initialEdges.push(makeEdge(e.id));
    }
  });
  const visNodes = new vis.DataSet(initialNodes);
  const visEdges = new vis.DataSet(initialEdges);
  function materialise(ids) {
    // Bring nodes (and their edges to nodes already there) into the network, hidden.
    const nodes = [];
    ids.forEach((id) => {
      if (!present.has(id)) { present.add(id); nodes.push(makeNode(id, true)); }
    });
    if (!nodes.length) return;
    visNodes.add(nodes);
    const edges = [];
    nodes.forEach((v) => incident.get(v.id).forEach((eid) => {
      const e = edgeById.get(eid);
      if (!edgesPresent.has(eid) && present.has(e.from) && present.has(e.to)) {
        edgesPresent.add(eid);
        edges.push(makeEdge(eid));
      }
    }));
    if (edges.length) visEdges.add(edges);
  }
  performance.mark("kg:datasets");
  const container = document.getElementById("network");
  const options = Object.assign({}, data.options, {
    nodes: { scaling: { label: { drawThreshold: 7, maxVisible: 40 } } },
    physics: { enabled: false },
    layout: { improvedLayout: false },
    interaction: { hover: !big, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false, keyboard: false },
    edges: { smooth: false },
  });
  delete options.configure;
  const network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, options);
  window.kgNetwork = network;  // for tests and the curious
  performance.mark("kg:network");
  const isShown = (id) => present.has(id) && !visNodes.get(id).hidden;
  window.kgShown = isShown;

  // Landmarks (areas, officials) are named at a legible size even when the whole map is
  // shown, like towns on a printed map; other labels appear as one zooms in. Drawn on the
  // canvas (text, never markup), so zooming costs no data updates.
  // Drawn in order of rank (provinces first, officials last); a label that would overlap
  // one already drawn is left out until the zoom makes room, as map labels are.
  const RANK = { Province: 0, City: 1, District: 2, Subdistrict: 3 };
  const landmarks = data.nodes.filter(isLandmark).map((n) => ({
    id: n.id, text: short(n.label), spec: classes[n.type], unit: 0,
    rank: RANK[n.type] === undefined ? 9 : RANK[n.type] }))
    .sort((p, q) => p.rank - q.rank);
  network.on("afterDrawing", (ctx) => {
    const scale = network.getScale();
    const w = container.clientWidth, h = container.clientHeight;
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const selected = new Set(network.getSelectedNodes());
    const nodes = network.body.nodes;
    const cell = 80, grid = new Map();
    const fits = (r) => {
      const keys = [];
      for (let gx = Math.floor(r.x0 / cell); gx <= Math.floor(r.x1 / cell); gx++) {
        for (let gy = Math.floor(r.y0 / cell); gy <= Math.floor(r.y1 / cell); gy++) {
          const key = `${gx},${gy}`;
          for (const o of grid.get(key) || []) {
            if (r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1) return false;
          }
          keys.push(key);
        }
      }
      keys.forEach((key) => { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(r); });
      return true;
    };
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.fillStyle = "#1f2933";
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    const order = selected.size
      ? [...landmarks.filter((m) => selected.has(m.id)), ...landmarks] : landmarks;
    const done = new Set();
    order.forEach((m) => {
      if (done.has(m.id)) return;
      done.add(m.id);
      const node = nodes[m.id];
      if (!node || node.options.hidden) return;
      const sx = (node.x - a.x) * scale, sy = (node.y - a.y) * scale;
      if (sx < -300 || sx > w + 300 || sy < -100 || sy > h + 100) return;
      const size = Math.max(m.spec.font, m.spec.screen / scale);
      const bold = selected.has(m.id) ? "bold " : "";
      if (!m.unit) {
        ctx.font = `100px ${data.font}`;
        m.unit = ctx.measureText(m.text).width / 100;
      }
      const top = sy + (m.spec.size + 3 / scale) * scale;
      const half = (m.unit * size * scale) / 2 + 2;
      const box = { x0: sx - half, x1: sx + half, y0: top, y1: top + size * scale * 1.25 };
      if (!fits(box) && !bold) return;
      ctx.font = `${bold}${size}px ${data.font}`;
      ctx.lineWidth = Math.max(4, 4 / scale);
      const y = node.y + m.spec.size + 3 / scale;
      ctx.strokeText(m.text, node.x, y);
      ctx.fillText(m.text, node.x, y);
    });
    ctx.restore();
  });
  // On a big map, labels cost half the opening time yet cannot be read until one zooms
  // in: they are given to the nodes and edges in view once the zoom makes them legible.
  const labelled = new Set();
  const edgeLabelled = new Set();
  let labelPending = false;
  function labelViewport() {
    labelPending = false;
    const scale = network.getScale();
    if (scale < 0.4) return;
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const b = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    const m = 150 / scale;
    const inView = (p) => p.x > a.x - m && p.x < b.x + m && p.y > a.y - m && p.y < b.y + m;
    const nodes = [], edges = [];
    present.forEach((id) => {
      const node = network.body.nodes[id];
      if (labelled.has(id) || isLandmark(byId.get(id)) || !node || !inView(node)) return;
      labelled.add(id);
      nodes.push({ id, label: short(byId.get(id).label) });
    });
    edgesPresent.forEach((id) => {
      if (edgeLabelled.has(id) || (edgeById.get(id).repeat && !closeUp)) return;
      const e = edgeById.get(id), f = network.body.nodes[e.from], t = network.body.nodes[e.to];
      if (!f || !t || !inView({ x: (f.x + t.x) / 2, y: (f.y + t.y) / 2 })) return;
      edgeLabelled.add(id);
      edges.push({ id, label: e.label });
    });
    if (nodes.length) visNodes.update(nodes);
    if (edges.length) visEdges.update(edges);
  }
  if (big) {
    network.on("afterDrawing", () => {
      if (labelPending || network.getScale() < 0.4) return;
      labelPending = true;
      requestAnimationFrame(labelViewport);
    });
  }
  // Close up, every edge label is drawn; further out only the first of each kind at a node.
  function relabelRepeats() {
    const updates = [];
    edgesPresent.forEach((id) => {
      const e = edgeById.get(id);
      if (e.repeat && (!big || edgeLabelled.has(id))) updates.push({ id, label: edgeLabel(e) });
    });
    if (updates.length) visEdges.update(updates);
  }
  let relabelPending = false;
  network.on("afterDrawing", () => {
    if (relabelPending || (network.getScale() >= CLOSE_UP) === closeUp) return;
    relabelPending = true;
    requestAnimationFrame(() => {
      relabelPending = false;
      closeUp = network.getScale() >= CLOSE_UP;
      relabelRepeats();
    });
  });
  network.once("afterDrawing", () => {
    window.kgReadyAt = performance.now();  // ms from navigation start: for the benchmark
    performance.mark("kg:drawn");
    window.kgReady = true;
    updateStatus();
  });

  // Tooltips: our own element, filled with textContent (vis-network would use innerHTML
  // for a string title containing "href").
  const tip = el("div", null, "tip");
  tip.id = "tip";
  tip.hidden = true;
  container.appendChild(tip);
  let tipTimer = null;
  function hideTip() { clearTimeout(tipTimer); tip.hidden = true; }
  container.addEventListener("mousemove", (ev) => {
    hideTip();
    const r = container.getBoundingClientRect();
    const at = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    tipTimer = setTimeout(() => {
      const nid = network.getNodeAt(at);
      const eid = nid === undefined ? network.getEdgeAt(at) : undefined;
      let lines;
      if (nid !== undefined) {
        const n = byId.get(nid);
        lines = [n.label, classes[n.type].name, n.metric ? n.metric.text : "",
                 n.altLabels.join("、")];
      } else if (eid !== undefined) {
        const e = edgeById.get(eid);
        lines = [`${byId.get(e.from).label} → ${e.label} → ${byId.get(e.to).label}`,
                 e.derived ? "按职务推定，非原文陈述 · derived by office, not stated" : "",
                 (e.evidence[0] || {}).quote];
      } else return;
      tip.replaceChildren(...lines.filter((l) => l)
        .map((line, i) => el(i ? "div" : "strong", line)));
      tip.style.left = `${Math.min(at.x + 14, Math.max(0, container.clientWidth - 320))}px`;
      tip.style.top = `${at.y + 16}px`;
      tip.hidden = false;
    }, 200);
  });
  ["mouseleave", "mousedown", "wheel"].forEach((t) => container.addEventListener(t, hideTip));

  function visibleIds() {
    return visNodes.getIds({ filter: (n) => !n.hidden });
  }
  // Fit the view to what is shown, from the nodes' positions. (vis-network's own fit()
  // measures each node's drawn bounding box, which for a node never drawn yet, such as a
  // metric that a focus just brought in, is at the origin: the view then zoomed out to the
  // origin and left the neighbourhood a speck in a corner.)
  function fitVisible() {
    const ids = visibleIds();
    if (!ids.length) return;
    const at = Object.values(network.getPositions(ids));
    const xs = at.map((p) => p.x), ys = at.map((p) => p.y);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const margin = 110;  // canvas px around the outermost nodes: their labels and shapes
    const w = Math.max(container.clientWidth - 40, 100), h = Math.max(container.clientHeight - 40, 100);
    const scale = Math.min(1.2, w / (x1 - x0 + 2 * margin), h / (y1 - y0 + 2 * margin));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale, animation: false });
  }
  window.kgFit = fitVisible;  // for tests
  fitVisible();

  // ------------------------------------------------------------ legend and filters
  const legend = document.getElementById("legend");
  legend.appendChild(el("h2", "图例 · 类别筛选"));
  legend.appendChild(el("p", "Legend · tick to show a class", "sub"));
  Object.entries(classes).forEach(([type, spec]) => {
    if (!spec.count) return;
    const label = el("label", null, "class");
    const box = el("input");
    box.type = "checkbox";
    box.checked = shownClasses.has(type);
    box.dataset.type = type;
    box.addEventListener("change", () => {
      if (box.checked) shownClasses.add(type); else shownClasses.delete(type);
      pinned.forEach((id) => { if (byId.get(id).type === type) pinned.delete(id); });
      applyFilters(true);
    });
    label.append(box, swatch(spec), el("span", spec.name, "name"), el("span", spec.count, "count"));
    legend.appendChild(label);
  });
  const edgeKey = el("div", null, "edge-key");
  const postLine = el("span", null, "line post");
  const plainLine = el("span", null, "line");
  edgeKey.append(el("h2", "连线 · Edges"),
    el("div", null, "row"), el("div", null, "row"));
  edgeKey.children[1].append(postLine, el("span", "任职（党工委书记…）· holds post"));
  edgeKey.children[2].append(plainLine, el("span", "其他关系，标签为关系名 · other relations"));
  const derivedCount = data.edges.filter((e) => e.derived).length;
  if (derivedCount) {
    const row = el("label", null, "row derived");
    const box = el("input");
    box.type = "checkbox";
    box.checked = showDerived;
    box.id = "show-derived";
    box.addEventListener("change", () => { showDerived = box.checked; applyFilters(false); });
    row.append(box, el("span", null, "line derived"),
      el("span", `按职务推定（非原文陈述）· by office, derived (${derivedCount})`));
    row.title = "由规则推定：街道组织的举措归于其党工委书记等主要负责人（截至文章日期）。" +
      "Derived by a rule, not stated: an initiative a subdistrict organized is under the " +
      "holder of its leading post, as of the article.";
    edgeKey.appendChild(row);
  }
  legend.appendChild(edgeKey);
  legend.appendChild(timeline());
  legend.appendChild(el("p", "单击：查看证据 · 双击：聚焦邻居 · 滚轮：缩放。Click: evidence · " +
    "double-click: neighbourhood · wheel: zoom.", "sub help"));

  // ------------------------------------------------------------ time: the articles' dates
  function timeline() {
    const box = el("section", null, "timeline");
    box.appendChild(el("h2", "时间 · When"));
    const sources = Object.entries(data.articles).filter(([, a]) => !a.reference);
    const dated = sources.filter(([, a]) => a.date).sort((p, q) => (p[1].date < q[1].date ? -1 : 1));
    const undated = sources.filter(([, a]) => !a.date).map(([id]) => id);
    box.appendChild(el("p", "文章的发布日期；每条事实以其文章日期为准。" +
      "Each fact holds as of its article's date.", "sub"));
    if (dated.length) {
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", "0 0 200 34");
      svg.setAttribute("class", "axis");
      const day = (d) => Date.parse(`${d}T00:00:00Z`);
      const lo = day(dated[0][1].date), hi = day(dated[dated.length - 1][1].date);
      const x = (d) => (hi === lo ? 100 : 12 + (176 * (day(d) - lo)) / (hi - lo));
      const line = document.createElementNS(SVG, "line");
      [["x1", 6], ["x2", 194], ["y1", 12], ["y2", 12]].forEach(([k, v]) => line.setAttribute(k, v));
      svg.appendChild(line);
      dated.forEach(([id, a]) => {
        const dot = document.createElementNS(SVG, "circle");
        dot.setAttribute("cx", x(a.date).toFixed(1));
        dot.setAttribute("cy", "12");
        dot.setAttribute("r", "5");
        dot.dataset.article = id;
        const tip = document.createElementNS(SVG, "title");
        tip.textContent = `${a.date} · ${id}《${a.title}》`;
        dot.appendChild(tip);
        dot.addEventListener("click", () => setPeriod(a.date.slice(0, 7), a.date.slice(0, 7), false));
        svg.appendChild(dot);
      });
      [dated[0][1].date, dated[dated.length - 1][1].date].forEach((d, i) => {
        const label = document.createElementNS(SVG, "text");
        label.setAttribute("x", i ? "194" : "6");
        label.setAttribute("y", "31");
        label.setAttribute("text-anchor", i ? "end" : "start");
        label.textContent = d.slice(0, 7);
        svg.appendChild(label);
      });
      box.appendChild(svg);
    }
    const list = el("ul", null, "dates");
    dated.forEach(([id, a]) => {
      const li = el("li");
      li.append(button(a.date, "date", () => setPeriod(a.date.slice(0, 7), a.date.slice(0, 7), false),
        `只看 ${a.date.slice(0, 7)} 的文章 · only articles of this month`), el("span", ` ${id}`, "id"));
      list.appendChild(li);
    });
    if (undated.length) {
      list.appendChild(el("li", `无日期 · undated: ${undated.join(" ")}`, "undated"));
    }
    box.appendChild(list);
    const range = el("div", null, "range");
    const field = (id, text) => {
      const label = el("label", text);
      const input = el("input");
      input.type = "month";
      input.id = id;
      input.addEventListener("change", () => {
        period[id === "period-from" ? "from" : "to"] = input.value;
        applyFilters(true);
      });
      label.appendChild(input);
      return label;
    };
    range.append(field("period-from", "从 from "), field("period-to", "到 to "));
    const keep = el("label", null, "keep");
    const box2 = el("input");
    box2.type = "checkbox";
    box2.id = "period-undated";
    box2.checked = true;
    box2.addEventListener("change", () => { period.undated = box2.checked; applyFilters(true); });
    keep.append(box2, el("span", `含无日期文章 · undated (${undated.length})`));
    range.appendChild(keep);
    box.appendChild(range);
    return box;
  }
  function setPeriod(from, to, undated) {
    period.from = from || "";
    period.to = to || "";
    if (undated !== undefined) period.undated = undated;
    document.getElementById("period-from").value = period.from;
    document.getElementById("period-to").value = period.to;
    document.getElementById("period-undated").checked = period.undated;
    applyFilters(true);
  }
  window.kgSetPeriod = setPeriod;  // for tests

  function fillSelect(id, options) {
    const select = document.getElementById(id);
    options.forEach(([value, text]) => {
      const option = el("option", text);
      option.value = value;
      select.appendChild(option);
    });
    select.addEventListener("change", () => { focusSet = null; applyFilters(true); });
    return select;
  }
  const sdSelect = fillSelect("subdistrict", data.overview.map((s) => [String(s.id), s.label]));
  const articleSelect = fillSelect("article", Object.entries(data.articles)
    .map(([id, a]) => [id, `${id} · ${a.title}`]));
  if (data.overview.length < 2) sdSelect.closest("label").hidden = true;

  let focusSet = null;
  // Nodes the user asked for by name (search, a link in the panel) stay shown even when
  // their class is not: finding one metric should not flood the map with all of them.
  const pinned = new Set();
  function passes(n) {
    if (focusSet) return focusSet.has(n.id);
    if (pinned.has(n.id)) return true;
    if (!shownClasses.has(n.type)) return false;
    const sd = sdSelect.value;
    if (sd && n.id !== Number(sd) && !n.sds.includes(Number(sd))) return false;
    const article = articleSelect.value;
    if (article && !n.articles.includes(article)) return false;
    if (periodActive() && onlyReference(n)) return anchored.has(n.id);
    return inPeriod(n.articles);
  }
  // In a period, a node only the division table names (a city or province no article
  // mentions) is shown when it is the area of something the period's articles say.
  const onlyReference = (n) => n.articles.length > 0 &&
    n.articles.every((a) => (data.articles[a] || {}).reference);
  let anchored = new Set();
  function anchor() {
    anchored = new Set();
    if (!periodActive()) return;
    const queue = data.nodes.filter((n) => !onlyReference(n) && inPeriod(n.articles)).map((n) => n.id);
    const seen = new Set(queue);
    while (queue.length) {
      const id = queue.shift();
      incident.get(id).forEach((eid) => {
        const e = edgeById.get(eid);
        const other = e.from === id ? e.to : e.from;
        if (!seen.has(other) && onlyReference(byId.get(other)) && e.key === "partOf") {
          seen.add(other);
          anchored.add(other);
          queue.push(other);
        }
      });
    }
  }
  function applyFilters(fit) {
    anchor();
    const wanted = [];
    const updates = [];
    data.nodes.forEach((n) => {
      const hidden = !passes(n);
      if (!present.has(n.id)) { if (!hidden) wanted.push(n.id); return; }
      if (visNodes.get(n.id).hidden !== hidden) updates.push({ id: n.id, hidden });
    });
    if (updates.length) visNodes.update(updates);
    if (wanted.length) {
      materialise(wanted);
      visNodes.update(wanted.map((id) => ({ id, hidden: false })));
    }
    const edgeUpdates = [];
    edgesPresent.forEach((id) => {
      const hidden = !edgePasses(edgeById.get(id));
      if (visEdges.get(id).hidden !== hidden) edgeUpdates.push({ id, hidden });
    });
    if (edgeUpdates.length) visEdges.update(edgeUpdates);
    if (fit) fitVisible();
    updateStatus();
  }
  // What is on the map now: nodes by class, edges (and how many are derived), sources.
  function shownEdgeIds() {
    return visEdges.getIds({ filter: (e) => !e.hidden && isShown(e.from) && isShown(e.to) });
  }
  function shownCounts() {
    const nodes = visibleIds().map((id) => byId.get(id));
    const edges = shownEdgeIds().map((id) => edgeById.get(id));
    const byType = {};
    nodes.forEach((n) => { byType[n.type] = (byType[n.type] || 0) + 1; });
    const sources = new Set();
    nodes.forEach((n) => n.articles.forEach((a) => sources.add(a)));
    edges.forEach((e) => e.sources.forEach((a) => sources.add(a)));
    return { nodes: nodes.length, byType, edges: edges.length,
             derived: edges.filter((e) => e.derived).length, sources: sources.size };
  }
  window.kgShownCounts = shownCounts;  // for tests
  function updateStatus() {
    const c = shownCounts();
    const types = Object.keys(classes).filter((t) => c.byType[t])
      .map((t) => `${classes[t].name.split(" ")[0]} ${c.byType[t]}`).join("、");
    const parts = [
      `显示 ${c.nodes} / ${data.nodes.length} 个节点${types ? `（${types}）` : ""}`,
      `${c.edges} / ${data.edges.length} 条关系` + (c.derived ? `（按职务推定 ${c.derived}）` : ""),
      `${c.sources} 个来源 · shown: nodes, relations, sources`,
    ];
    if (focusSet) parts.push(`聚焦 focus: ${byId.get(focusSet.origin).label}`);
    if (sdSelect.value) parts.push(`街道: ${byId.get(Number(sdSelect.value)).label}`);
    if (articleSelect.value) parts.push(`文章: ${articleSelect.value}`);
    if (periodActive()) {
      parts.push(`时间: ${period.from || "…"} – ${period.to || "…"}` +
        (period.undated ? "，含无日期" : "，不含无日期"));
    }
    if (!showDerived) parts.push("隐藏推定关系 · derived hidden");
    document.getElementById("status").textContent = parts.join(" · ");
  }

  // ------------------------------------------------------------ selecting a node
  function reveal(n) {
    // Make sure a node the user asked for is on the map, whatever the filters say.
    if (passes(n)) return;
    if (focusSet && !focusSet.has(n.id)) focusSet = null;
    if (!passes(n)) pinned.add(n.id);
    applyFilters(false);
  }
  function select(id, move) {
    const n = byId.get(id);
    reveal(n);
    network.selectNodes([id]);
    if (move) {
      network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    }
    showNode(n);
  }
  function showEdgeById(id) {
    const e = edgeById.get(id);
    reveal(byId.get(e.from));
    reveal(byId.get(e.to));
    network.selectEdges([id]);
    showEdge(e);
  }

  // ------------------------------------------------------------ search
  const search = document.getElementById("search");
  const results = document.getElementById("results");
  function matches(typed) {
    // Pinyin keys are written without spaces (shitiantian): "shi tiantian" finds them too.
    const forms = [...new Set([typed, typed.replace(/\s+/g, "")])].filter(Boolean);
    const hits = [];
    data.nodes.forEach((n) => {
      let best = 9;
      n.search.forEach((s) => forms.forEach((q) => {
        if (s === q) best = Math.min(best, 0);
        else if (s.startsWith(q)) best = Math.min(best, 1);
        else if (s.includes(q)) best = Math.min(best, 2);
      }));
      if (best < 9) hits.push([best, Object.keys(classes).indexOf(n.type), n.label.length, n]);
    });
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] ||
      (a[3].label < b[3].label ? -1 : a[3].label > b[3].label ? 1 : 0));
    return hits.map((h) => h[3]);
  }
  let searchPin = null;
  function closeResults() { results.hidden = true; results.replaceChildren(); }
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    if (!q) { closeResults(); return; }
    const found = matches(q);
    results.replaceChildren();
    if (!found.length) {
      results.appendChild(el("li", "无结果 · no match", "none"));
      results.hidden = false;
      return;
    }
    found.slice(0, 12).forEach((n) => {
      const li = el("li");
      li.setAttribute("role", "option");
      const b = button("", "hit", () => { select(n.id, true); closeResults(); });
      const sw = swatch(classes[n.type]);
      b.append(sw, el("span", n.label, "name"), el("span", classes[n.type].name, "kind"));
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > 12) results.appendChild(el("li", `… 共 ${found.length} 个 · ${found.length} matches`, "none"));
    results.hidden = false;
    // Find as you type: the best match is selected at once; the previous best match, if
    // it was only shown for the search, goes back to its filters.
    if (searchPin !== null && searchPin !== found[0].id && pinned.delete(searchPin)) {
      applyFilters(false);
    }
    if (searchPin !== found[0].id) searchPin = pinned.has(found[0].id) ? null : found[0].id;
    select(found[0].id, true);
    if (!pinned.has(searchPin)) searchPin = null;
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { closeResults(); search.blur(); }
    if (ev.key === "Enter") closeResults();
  });
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest(".search")) closeResults();
  });

  // ------------------------------------------------------------ focus and reset
  function focusOn(id) {
    // neighbours from our own index: metrics may not be in the network yet
    focusSet = new Set([id]);
    incident.get(id).forEach((eid) => {
      const e = edgeById.get(eid);
      focusSet.add(e.from);
      focusSet.add(e.to);
    });
    focusSet.origin = id;
    applyFilters(true);
    network.selectNodes([id]);
    showNode(byId.get(id));
  }
  document.getElementById("focus").addEventListener("click", () => {
    const selected = network.getSelectedNodes();
    if (selected.length) focusOn(selected[0]);
    else document.getElementById("status").textContent =
      "先选择一个节点，再点“聚焦”· select a node first, then focus";
  });
  network.on("doubleClick", (params) => { if (params.nodes.length) focusOn(params.nodes[0]); });
  function reset() {
    focusSet = null;
    pinned.clear();
    searchPin = null;
    search.value = "";
    closeResults();
    sdSelect.value = "";
    articleSelect.value = "";
    period.from = period.to = "";
    period.undated = true;
    ["period-from", "period-to"].forEach((id) => { document.getElementById(id).value = ""; });
    document.getElementById("period-undated").checked = true;
    showDerived = true;
    const derivedBox = document.getElementById("show-derived");
    if (derivedBox) derivedBox.checked = true;
    shownClasses.clear();
    data.visibleByDefault.forEach((t) => shownClasses.add(t));
    legend.querySelectorAll("input[data-type]").forEach((box) => {
      box.checked = shownClasses.has(box.dataset.type);
    });
    network.unselectAll();
    applyFilters(true);
    showOverview();
  }
  document.getElementById("reset").addEventListener("click", reset);

  // ------------------------------------------------------------ the side panel
  const panel = document.getElementById("panel");
  function evidenceList(evidence, title) {
    const box = el("section", null, "evidence");
    box.appendChild(el("h3", `${title || "证据 · Evidence"} (${evidence.length})`));
    if (!evidence.length) box.appendChild(el("p", "无引文 · no quote recorded", "hint"));
    evidence.forEach((e) => {
      const item = el("figure");
      item.appendChild(el("blockquote", e.quote));
      const cap = el("figcaption");
      const where = Number.isInteger(e.start) && Number.isInteger(e.end)
        ? ` · 字符 ${e.start}–${e.end}` : "";
      const date = (data.articles[e.article] || {}).date;
      cap.append(el("cite", `《${articleTitle(e.article, e.title)}》`),
        el("span", ` 文章 ${e.article}${date ? ` · ${date}` : ""}${where}`));
      const open = openInArticle(e);
      if (open) cap.append(" ", open);
      item.appendChild(cap);
      box.appendChild(item);
    });
    return box;
  }
  // ------------------------------------------------------------ open in article
  // The quote in its article: in kg serve a link to its reader; in the offline file an
  // overlay over the map with the embedded text, the quote marked and scrolled to.
  const texts = data.texts || {};
  const reader = document.getElementById("reader");
  if (data.reader) {  // in kg serve: the way back to its other pages
    const back = el("a", "阅读 · Reader", "app-link");
    back.href = data.reader;
    document.querySelector("header h1").after(back);
  }
  function openInArticle(e) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end)) return null;
    const title = "在文中打开，显示上下文 · open in article, with the text around the quote";
    if (data.reader) {
      const link = el("a", "在文中打开 · open in article", "open");
      const query = new URLSearchParams({ article: e.article, start: e.start, end: e.end });
      link.href = `${data.reader}?${query}`;
      link.title = title;
      return link;
    }
    if (!texts[e.article] || !reader) return null;
    return button("在文中打开 · open in article", "open", () => showArticle(e), title);
  }
  function showArticle(e) {
    closeTable();
    const chars = Array.from(texts[e.article]);  // offsets count code points
    const mark = el("mark", chars.slice(e.start, e.end).join(""));
    const body = el("div", null, "text");
    body.append(chars.slice(0, e.start).join(""), mark, chars.slice(e.end).join(""));
    const head = el("div", null, "head");
    head.append(el("h2", `《${articleTitle(e.article)}》`),
      el("span", ` 文章 ${e.article} · 字符 ${e.start}–${e.end}`, "where"),
      button("关闭 · close", "close", closeArticle, "回到地图 · back to the map (Esc)"));
    reader.replaceChildren(head, body);
    reader.hidden = false;
    mark.scrollIntoView({ block: "center" });
  }
  function closeArticle() { reader.hidden = true; reader.replaceChildren(); }
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && reader && !reader.hidden) closeArticle();
  });
  window.kgOpenArticle = showArticle;  // for tests

  function definitions(rows) {
    const dl = el("dl");
    rows.filter(([, v]) => v !== null && v !== undefined && v !== "").forEach(([k, v, cls]) => {
      dl.append(el("dt", k), el("dd", v, cls));
    });
    return dl;
  }
  function heading(text, type) {
    const h = el("h2", text);
    const badge = el("span", classes[type].name, "type");
    badge.style.background = classes[type].color;
    h.appendChild(badge);
    return h;
  }
  function connections(n) {
    const ids = incident.get(n.id);
    const box = el("section", null, "links");
    box.appendChild(el("h3", `关系 · Connections (${ids.length})`));
    const list = el("ul");
    ids.slice(0, 80).forEach((eid) => {
      const e = edgeById.get(eid);
      const out = e.from === n.id;
      const other = byId.get(out ? e.to : e.from);
      const li = el("li");
      li.append(el("span", out ? "→" : "←", "dir"),
        button(e.label, "rel", () => showEdgeById(e.id), "查看这条关系的证据 · evidence of this relation"),
        button(other.label, "other", () => select(other.id, true), classes[other.type].name));
      list.appendChild(li);
    });
    box.appendChild(list);
    if (ids.length > 80) box.appendChild(el("p", `… 另有 ${ids.length - 80} 条 · more`, "hint"));
    return box;
  }
  // "Who ran which initiative": what the articles state (leads, participates in) apart from
  // what follows by office (derived edges, dashed on the map), each with its date.
  const STATED = { leads: "领导 · leads", participatesIn: "参与 · takes part" };
  function asOfText(d) {
    const when = d.asOf ? `截至 ${d.asOf}` : "无日期 · undated";
    return `${when} · ${BASIS[d.basis] || d.basis}`;
  }
  function dateOf(e) {
    const dates = [...new Set(e.sources.map((a) => (data.articles[a] || {}).date).filter(Boolean))];
    return dates.length ? dates.join("、") : "无日期 · undated";
  }
  function initiativeList(title, cls, items) {
    const box = el("section", null, `initiatives ${cls}`);
    box.appendChild(el("h3", `${title} (${items.length})`));
    const list = el("ul");
    items.forEach(([other, e, note]) => {
      const li = el("li");
      li.append(button(other.label, "other", () => select(other.id, true), classes[other.type].name),
        button(note, "rel", () => showEdgeById(e.id), "查看依据 · the sentences behind it"));
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }
  function initiativesOf(n) {
    const stated = [], byOffice = [];
    incident.get(n.id).forEach((eid) => {
      const e = edgeById.get(eid);
      if (e.derived && e.to === n.id) {
        byOffice.push([byId.get(e.from), e, e.derivations.map(asOfText).join("；")]);
      } else if (STATED[e.key] && e.from === n.id && byId.get(e.to).type === "Initiative") {
        stated.push([byId.get(e.to), e, `${STATED[e.key]} · ${dateOf(e)}`]);
      }
    });
    if (!stated.length && !byOffice.length) return [];
    return [
      initiativeList("举措：文中陈述 · Initiatives stated", "stated", stated),
      initiativeList("举措：按职务推定 · Initiatives by office (derived)", "derived", byOffice),
    ];
  }
  function officialsOf(n) {
    const stated = [], byOffice = [];
    incident.get(n.id).forEach((eid) => {
      const e = edgeById.get(eid);
      if (e.derived && e.from === n.id) {
        byOffice.push([byId.get(e.to), e, e.derivations.map(asOfText).join("；")]);
      } else if (e.key === "leads" && e.to === n.id) {
        stated.push([byId.get(e.from), e, `${STATED.leads} · ${dateOf(e)}`]);
      }
    });
    if (!stated.length && !byOffice.length) return [];
    return [
      initiativeList("负责人：文中陈述 · Led by (stated)", "stated", stated),
      initiativeList("负责人：按职务推定 · Under, by office (derived)", "derived", byOffice),
    ];
  }
  function showNode(n) {
    const rows = [];
    if (n.metric) {
      const m = n.metric;
      rows.push(["指标 · indicator", m.indicator]);
      rows.push(m.value === null
        ? ["数值 · value", "数值缺失（原文未给出数字）· value missing in source", "missing"]
        : ["数值 · value", `${m.value}${m.scale || ""}${m.unit || ""}`, "value"]);
      rows.push(["数量级 · scale", m.scale], ["单位 · unit", m.unit],
        ["限定 · qualifier", m.qualifier && (QUALIFIER[m.qualifier] || m.qualifier)],
        ["类型 · kind", m.kind && (KIND[m.kind] || m.kind)],
        ["时期 · period", m.period]);
    }
    rows.push(["其他名称 · also", n.altLabels.join("、")]);
    const sds = n.sds.filter((s) => s !== n.id).map((s) => byId.get(s).label);
    rows.push(["街道 · subdistrict", sds.join("、")]);
    rows.push(["文章 · articles", n.articles.map((a) => `${a}《${articleTitle(a)}》`).join("；")]);
    rows.push(["IRI", n.iri, "iri"]);
    const who = n.type === "Initiative" ? officialsOf(n) : initiativesOf(n);
    panel.replaceChildren(heading(n.label, n.type), definitions(rows), ...who,
      evidenceList(n.evidence), connections(n));
    panel.scrollTop = 0;
  }
  function showEdge(e) {
    const from = byId.get(e.from), to = byId.get(e.to);
    const title = el("h2");
    title.append(button(from.label, "other", () => select(from.id, true)),
      el("span", ` → ${e.label} → `, "rel-text"), button(to.label, "other", () => select(to.id, true)));
    const rows = [["关系 · relation", data.relations[e.key] || e.key, "iri"], ["岗位 · post", e.post]];
    if (e.derived) {
      rows.unshift(["性质 · kind", "按职务推定，非原文陈述 · derived by office, not stated", "derived"]);
      e.derivations.forEach((d) => {
        const rule = (data.derivedRules || {})[d.rule] || {};
        rows.push(["规则 · rule", `${rule.label || d.rule}（${d.rule}）${rule.comment ? `: ${rule.comment}` : ""}`],
          ["截至 · as of", asOfText(d)],
          ["来源文章 · articles", d.articles.map((a, i) =>
            `${a}《${articleTitle(a)}》${d.dates[i] ? ` ${d.dates[i]}` : " 无日期"}`).join("；")]);
      });
    } else {
      rows.push(["日期 · date", dateOf(e)]);
    }
    panel.replaceChildren(title, definitions(rows),
      evidenceList(e.evidence, e.derived ? "推定所依据的句子 · Sentences it follows from" : null));
    panel.scrollTop = 0;
  }
  function showOverview() {
    const box = el("section", null, "overview");
    box.appendChild(el("h2", "概览 · 谁在哪里推动了什么"));
    box.appendChild(el("p", "点击节点或连线查看来源句子；双击节点只看它的邻居。" +
      "Click a node or an edge to read the sentence it comes from.", "hint"));
    data.overview.slice(0, 200).forEach((s) => {
      const card = el("div", null, "card");
      const head = el("div", null, "card-head");
      head.append(button(s.label, "sd", () => {
        focusSet = null;
        sdSelect.value = String(s.id);
        applyFilters(true);
        select(s.id, false);
      }, "只看这个街道 · show this subdistrict"), el("span", s.areas.join(" · "), "areas"));
      card.appendChild(head);
      if (s.people.length) {
        const ul = el("ul", null, "people");
        s.people.forEach((p) => {
          const li = el("li");
          li.append(button(p.label, "other", () => select(p.id, true)), el("span", p.role, "role"));
          if (p.byOffice) li.append(el("span", `按职务 ${p.byOffice} 项举措`, "by-office"));
          ul.appendChild(li);
        });
        card.appendChild(ul);
      }
      const stated = el("p", `举措 ${s.initiatives}：由此街道组织或在此实施 · organized or held here`,
        "counts");
      stated.title = "与 kg stats 的“Initiatives per subdistrict”同一口径 · counted as kg stats counts";
      card.appendChild(stated);
      const counts = Object.entries(s.map).map(([t, c]) => `${classes[t].name.split(" ")[0]} ${c}`);
      if (counts.length) {
        const map = el("p", `地图上与之相连 · on its map: ${counts.join(" · ")}`, "counts map");
        map.title = "此街道地图簇中的节点，含经社区、企业等相连者 · nodes of its map cluster, " +
          "including those joined through its communities or enterprises";
        card.appendChild(map);
      }
      box.appendChild(card);
    });
    if (data.overview.length > 200) {
      box.appendChild(el("p", `… 另有 ${data.overview.length - 200} 个街道，请用上方筛选。`, "hint"));
    }
    panel.replaceChildren(box);
  }
  showOverview();

  // ------------------------------------------------------------ table, CSV and PNG
  // The table lists what the map shows now (after filters, focus, period); its CSV is the
  // whole table, with the byte-order mark Excel needs for Chinese, and no cell is a formula
  // (a leading = + - @ gets a ', as kg.present does for the command line).
  const tableBox = document.getElementById("table");
  const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = `'${text}`;
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  function toCsv(columns, rows) {
    return `\ufeff${[columns, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
  }
  function download(name, blob) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
  const datesOf = (articles) => [...new Set(articles.map((a) => (data.articles[a] || {}).date)
    .filter(Boolean))].join("、");
  const TABLES = {
    nodes: {
      title: "节点 · nodes",
      columns: ["名称 label", "类别 class", "街道 subdistrict", "文章 articles", "日期 dates",
                "引文 quote", "IRI"],
      rows: () => visibleIds().map((id) => byId.get(id))
        .sort((p, q) => Object.keys(classes).indexOf(p.type) - Object.keys(classes).indexOf(q.type) ||
          (p.label < q.label ? -1 : p.label > q.label ? 1 : 0))
        .map((n) => [n.label, classes[n.type].name, n.sds.filter((s) => s !== n.id)
          .map((s) => byId.get(s).label).join("、"), n.articles.join(" "), datesOf(n.articles),
          (n.evidence[0] || {}).quote || "", n.iri]),
    },
    edges: {
      title: "关系 · relations",
      columns: ["从 from", "关系 relation", "到 to", "陈述或推定 stated or derived", "日期 dates",
                "文章 articles", "引文 quote"],
      rows: () => shownEdgeIds().map((id) => edgeById.get(id)).map((e) => [
        byId.get(e.from).label, e.label, byId.get(e.to).label,
        e.derived ? `按职务推定 derived: ${e.derivations.map(asOfText).join("；")}` : "陈述 stated",
        datesOf(e.sources), e.sources.join(" "), (e.evidence[0] || {}).quote || ""]),
    },
  };
  const TABLE_LIMIT = 500;
  function showTable(which) {
    const spec = TABLES[which];
    const rows = spec.rows();
    const head = el("div", null, "head");
    const tabs = Object.entries(TABLES).map(([key, s]) => {
      const b = button(s.title, key === which ? "tab on" : "tab", () => showTable(key));
      b.dataset.table = key;
      return b;
    });
    const csv = button("下载 CSV · download CSV", "csv", () => download(
      `jiedao-kg-${which}.csv`, new Blob([toCsv(spec.columns, rows)], { type: "text/csv;charset=utf-8" })),
      "表中全部行 · every row of the table");
    head.append(el("h2", `显示中的${spec.title}（${rows.length}）`), ...tabs, csv,
      button("关闭 · close", "close", closeTable, "回到地图 · back to the map (Esc)"));
    const table = el("table");
    const tr = el("tr");
    spec.columns.forEach((c) => tr.appendChild(el("th", c)));
    const thead = el("thead");
    thead.appendChild(tr);
    const tbody = el("tbody");
    rows.slice(0, TABLE_LIMIT).forEach((r) => {
      const row = el("tr");
      r.forEach((v) => row.appendChild(el("td", v)));
      tbody.appendChild(row);
    });
    table.append(thead, tbody);
    const body = el("div", null, "rows");
    body.appendChild(table);
    if (rows.length > TABLE_LIMIT) {
      body.appendChild(el("p", `只列出前 ${TABLE_LIMIT} 行；CSV 含全部 ${rows.length} 行 · ` +
        `first ${TABLE_LIMIT} rows here, all ${rows.length} in the CSV`, "hint"));
    }
    closeArticle();
    tableBox.replaceChildren(head, body);
    tableBox.hidden = false;
    tableBox.dataset.table = which;
  }
  function closeTable() { tableBox.hidden = true; tableBox.replaceChildren(); }
  document.getElementById("table-view").addEventListener("click", () => showTable("nodes"));
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !tableBox.hidden) closeTable();
  });
  window.kgTableCsv = (which) => toCsv(TABLES[which].columns, TABLES[which].rows());  // tests

  // The view as a PNG: the map's canvas on white, labels included (they are drawn on it).
  function exportPng() {
    const source = container.querySelector("canvas");
    const canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    const g = canvas.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(source, 0, 0);
    canvas.toBlob((blob) => download("jiedao-kg-view.png", blob), "image/png");
  }
  document.getElementById("png").addEventListener("click", exportPng);

  network.on("click", (params) => {
    if (params.nodes.length) showNode(byId.get(params.nodes[0]));
    else if (params.edges.length) showEdge(edgeById.get(params.edges[0]));
    else showOverview();
  });
})();
