/* The small map on a municipality page: Leaflet (from npm, served by the app), initialised from
   the data attributes of #municipality-map. Without a configured tile server the marker stands
   on a plain background; nothing is ever loaded from a third party. */
(function () {
  "use strict";

  function init() {
    var element = document.getElementById("municipality-map");
    if (!element || typeof window.L === "undefined") {
      return;
    }
    var lat = parseFloat(element.dataset.lat);
    var lng = parseFloat(element.dataset.lng);
    if (!isFinite(lat) || !isFinite(lng)) {
      return;
    }
    var map = window.L.map(element, { scrollWheelZoom: false }).setView([lat, lng], 10);
    var tiles = element.dataset.tileUrl;
    if (tiles) {
      window.L.tileLayer(tiles, { maxZoom: 18 }).addTo(map);
    } else {
      element.classList.add("pp-map--plain");
    }
    window.L.circleMarker([lat, lng], { radius: 8, weight: 2 })
      .addTo(map)
      .bindTooltip(element.dataset.name || "", { permanent: !tiles });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
