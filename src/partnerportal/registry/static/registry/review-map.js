/* The review queue's small map: the place where an import row puts it (a square) and the
   candidates (numbered as in the list beside it), on the atlas's offline basemap of Natural
   Earth country outlines (or the configured tile server). The list carries the same
   information in text, so the map is hidden from screen readers and not focusable. */
(function () {
  "use strict";

  function marker(L, point, className, text) {
    return L.marker([point.lat, point.lng], {
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: className, html: text, iconSize: [22, 22] }),
    });
  }

  function draw(element) {
    var L = window.L;
    var data = JSON.parse(document.getElementById(element.dataset.points).textContent);
    var map = L.map(element, {
      zoomControl: false,
      keyboard: false,
      attributionControl: true,
      scrollWheelZoom: false,
    });
    map.attributionControl.setPrefix(false);
    var bounds = [];
    if (data.origin) {
      marker(L, data.origin, "pp-review-marker pp-review-marker--origin", "").addTo(map);
      bounds.push([data.origin.lat, data.origin.lng]);
    }
    data.candidates.forEach(function (point) {
      marker(L, point, "pp-review-marker", String(point.n)).addTo(map);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 6);
    } else {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
    }
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 18 }).addTo(map);
      return;
    }
    map.attributionControl.addAttribution("Natural Earth");
    if (typeof window.topojson === "undefined") {
      return;
    }
    fetch(element.dataset.basemapUrl)
      .then(function (response) {
        return response.json();
      })
      .then(function (topology) {
        var outlines = window.topojson.feature(topology, topology.objects.countries);
        L.geoJSON(outlines, {
          interactive: false,
          style: { color: "#7d8a99", weight: 1, fillColor: "#f7f7f2", fillOpacity: 1 },
        })
          .addTo(map)
          .bringToBack();
      })
      .catch(function () {});
  }

  function start() {
    if (typeof window.L === "undefined") {
      return;
    }
    document.querySelectorAll(".pp-review-map__map[data-points]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
