// Jiedao KG viewer. All user text reaches the page through textContent, never innerHTML:
// labels and quotes come from hand-written fact files and must never become markup.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(data.edges.map((e) => [e.id, e]));
  const classes = data.classes;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function tooltip(lines) {
    const box = el("div");
    lines.filter((l) => l).forEach((line, i) => box.appendChild(el(i ? "div" : "strong", line)));
    return box;
  }

  // pyvis built the vis-network nodes (id, label, x, y, shape, colour, size); we add the
  // DOM tooltips and the initial visibility.
  const visNodes = new vis.DataSet(data.visNodes.map((v) => {
    const n = byId.get(v.id);
    return Object.assign({}, v, {
      color: { background: v.color, border: "#33415c",
               highlight: { background: "#ffd23f", border: "#1f2933" } },
      font: { size: classes[n.type].font, face: data.font },
      title: tooltip([n.label, classes[n.type].name, n.metric ? n.metric.text : ""]),
      hidden: !data.visibleByDefault.includes(n.type),
    });
  }));
  const visEdges = new vis.DataSet(data.edges.map((e) => ({
    id: e.id, from: e.from, to: e.to, label: e.label, arrows: "to",
    font: { size: 11, face: data.font, color: "#52606d", strokeWidth: 3, strokeColor: "#fbfcfd" },
    color: { color: "#9aa5b1", highlight: "#1f2933" }, width: 1.2,
    title: tooltip([e.label, (e.evidence[0] || {}).quote]),
  })));

  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: visNodes, edges: visEdges }, {
    physics: data.options.physics || { enabled: false },
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.nodes.length > 2000 },
    edges: { smooth: false },
  });
  window.kgNetwork = network;  // for tests and the curious
  network.once("afterDrawing", () => {
    network.fit({ nodes: visNodes.getIds({ filter: (n) => !n.hidden }), animation: false });
    window.kgReady = true;
    document.getElementById("status").textContent =
      `${data.nodes.length} nodes · ${data.edges.length} edges · ${data.articleCount} articles`;
  });

  // ------------------------------------------------------------ legend and filters
  const shownClasses = new Set(data.visibleByDefault);
  const legend = document.getElementById("legend");
  legend.appendChild(el("h2", "图例 · Legend"));
  Object.entries(classes).forEach(([type, spec]) => {
    if (!spec.count) return;
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = shownClasses.has(type);
    box.dataset.type = type;
    box.addEventListener("change", () => {
      if (box.checked) shownClasses.add(type); else shownClasses.delete(type);
      applyFilters();
    });
    const swatch = el("span", null, "swatch");
    swatch.style.background = spec.color;
    label.append(box, swatch, el("span", spec.name), el("span", spec.count, "count"));
    legend.appendChild(label);
  });

  function fillSelect(id, options) {
    const select = document.getElementById(id);
    options.forEach(([value, text]) => {
      const option = el("option", text);
      option.value = value;
      select.appendChild(option);
    });
    select.addEventListener("change", applyFilters);
    return select;
  }
  const sdSelect = fillSelect("subdistrict", data.subdistricts.map((s) => [s.id, s.label]));
  const articleSelect = fillSelect("article", Object.entries(data.articles)
    .map(([id, a]) => [id, `${id} · ${a.title}`]));

  let focusSet = null;
  function applyFilters() {
    const sd = sdSelect.value;
    const article = articleSelect.value;
    const updates = data.nodes.map((n) => {
      let visible = focusSet ? focusSet.has(n.id) : shownClasses.has(n.type);
      if (sd && !n.clusters.includes(sd)) visible = false;
      if (article && !n.articles.includes(article)) visible = false;
      return { id: n.id, hidden: !visible };
    });
    visNodes.update(updates);
    const shown = updates.filter((u) => !u.hidden).map((u) => u.id);
    if (shown.length && shown.length < data.nodes.length) {
      network.fit({ nodes: shown, animation: false });
    }
  }

  // ------------------------------------------------------------ search
  const search = document.getElementById("search");
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    if (!q) return;
    const hit = data.nodes.find((n) => n.search.some((s) => s.includes(q)));
    if (!hit) return;
    if (visNodes.get(hit.id).hidden) {
      shownClasses.add(hit.type);
      const box = legend.querySelector(`input[data-type="${hit.type}"]`);
      if (box) box.checked = true;
      focusSet = null;
      applyFilters();
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: 1.2, animation: false });
    showNode(hit);
  });

  // ------------------------------------------------------------ focus and reset
  document.getElementById("focus").addEventListener("click", () => {
    const selected = network.getSelectedNodes();
    if (!selected.length) return;
    focusOn(selected[0]);
  });
  network.on("doubleClick", (params) => { if (params.nodes.length) focusOn(params.nodes[0]); });
  function focusOn(id) {
    focusSet = new Set([id, ...network.getConnectedNodes(id)]);
    applyFilters();
  }
  document.getElementById("reset").addEventListener("click", () => {
    focusSet = null;
    search.value = "";
    sdSelect.value = "";
    articleSelect.value = "";
    shownClasses.clear();
    data.visibleByDefault.forEach((t) => shownClasses.add(t));
    legend.querySelectorAll("input[type=checkbox]").forEach((box) => {
      box.checked = shownClasses.has(box.dataset.type);
    });
    applyFilters();
    network.unselectAll();
    network.fit({ animation: false });
    clearPanel();
  });

  // ------------------------------------------------------------ evidence panel
  const panel = document.getElementById("panel");
  function clearPanel() {
    panel.replaceChildren(el("p", "点击节点或连线查看来源句子。Click a node or an edge to read the sentence it comes from.", "hint"));
  }
  function evidenceList(evidence) {
    const box = el("section");
    box.appendChild(el("h2", `证据 · Evidence (${evidence.length})`));
    evidence.forEach((e) => {
      box.appendChild(el("blockquote", e.quote));
      box.appendChild(el("div", `${e.title} · 文章 ${e.article} · [${e.start}, ${e.end})`, "source"));
    });
    return box;
  }
  function definitions(rows) {
    const dl = el("dl");
    rows.filter(([, v]) => v !== null && v !== undefined && v !== "").forEach(([k, v, cls]) => {
      dl.append(el("dt", k), el("dd", v, cls));
    });
    return dl;
  }
  function showNode(n) {
    const title = el("h2", n.label);
    const badge = el("span", classes[n.type].name, "type");
    badge.style.background = classes[n.type].color;
    title.appendChild(badge);
    const rows = [["IRI", n.iri], ["其他名称 · also", n.altLabels.join("、")]];
    if (n.metric) {
      const m = n.metric;
      rows.push(["指标 · indicator", m.indicator]);
      rows.push(m.value === null
        ? ["数值 · value", "数值缺失（原文丢失）· value missing in source", "missing"]
        : ["数值 · value", m.value]);
      rows.push(["数量级 · scale", m.scale], ["单位 · unit", m.unit],
                ["限定 · qualifier", m.qualifier], ["类型 · kind", m.kind],
                ["时期 · period", m.period]);
    }
    panel.replaceChildren(title, definitions(rows), evidenceList(n.evidence));
  }
  function showEdge(e) {
    const from = byId.get(e.from), to = byId.get(e.to);
    panel.replaceChildren(el("h2", `${from.label} → ${e.label} → ${to.label}`),
      definitions([["关系 · relation", e.relation]]), evidenceList(e.evidence));
  }
  network.on("click", (params) => {
    if (params.nodes.length) showNode(byId.get(params.nodes[0]));
    else if (params.edges.length) showEdge(edgeById.get(params.edges[0]));
  });
})();
