/* The atlas: Leaflet with the Natural Earth country outlines as an offline basemap (a tile server
   is optional, see MAP_TILE_URL), the partner countries coloured by their number of partnerships,
   clusters computed on the server per zoom level and visible area, and lines from a selected
   place to its partners, Germany's Länder as borders and the names of the larger places (both
   from the server, the Länder from Natural Earth's admin-1 outlines) once one zooms in. The
   server merges clusters until no two markers touch and says how large each is. Every container with [data-atlas] becomes a map; the list beside it
   mirrors the markers for keyboard and screen-reader users. No inline code (strict CSP); all text
   comes from data attributes in the reader's language and is inserted as text, never as HTML. */
(function () {
  "use strict";

  // Partner countries in warm shades, so that the dark blue cluster markers stand out on them.
  var COLOURS = ["#fff4e0", "#fddcaa", "#fbbf77", "#f39b4b", "#de7430", "#b4531c"];
  var ANTARCTICA = "010";
  var LIST_LIMIT = 50;
  // From this zoom level on, the Länder borders are drawn (Germany fills a good part of the map).
  var STATES_ZOOM = 5;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function number(value) {
    return new Intl.NumberFormat(document.documentElement.lang || "de").format(value);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  /* Rings that cross the 180th meridian (Russia, Fiji) jump from +180 to −180 and would be drawn
     as bands across the whole map; continuing them east of 180 keeps them in one piece. */
  function unwrapRing(ring) {
    var west = false;
    var east = false;
    ring.forEach(function (point) {
      west = west || point[0] < -170;
      east = east || point[0] > 170;
    });
    if (west && east) {
      ring.forEach(function (point) {
        if (point[0] < 0) {
          point[0] += 360;
        }
      });
    }
  }

  function unwrapAntimeridian(feature) {
    var geometry = feature.geometry;
    if (!geometry) {
      return;
    }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    if (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon") {
      return;
    }
    polygons.forEach(function (polygon) {
      polygon.forEach(unwrapRing);
    });
  }

  function Atlas(container) {
    this.container = container;
    this.data = container.dataset;
    this.query = this.data.query || "";
    this.items = container.querySelector("[data-atlas-items]");
    this.status = container.querySelector("[data-atlas-status]");
    this.selection = container.querySelector("[data-atlas-selection]");
    this.request = null;
    this.countryCounts = {};
    this.countryLayer = null;
    this.clusterLayer = null;
    this.lineLayer = null;
    this.labelLayer = null;
    this.statesLayer = null;
    this.statesRequested = false;
    this.selected = null;
    this.init();
  }

  Atlas.prototype.url = function (base, extra) {
    var parts = [];
    if (this.query) {
      parts.push(this.query);
    }
    if (extra) {
      parts.push(extra);
    }
    return parts.length ? base + "?" + parts.join("&") : base;
  };

  Atlas.prototype.init = function () {
    var L = window.L;
    var mapElement = this.container.querySelector(".pp-atlas__map");
    this.map = L.map(mapElement, {
      minZoom: 1,
      maxZoom: 14,
      worldCopyJump: true,
      zoomSnap: 1,
      scrollWheelZoom: !this.container.classList.contains("pp-atlas--compact"),
      maxBounds: [
        [-85, -540],
        [85, 540],
      ],
    });
    this.map.attributionControl.setPrefix(false);
    if (this.data.tileUrl) {
      L.tileLayer(this.data.tileUrl, { maxZoom: 18 }).addTo(this.map);
    } else {
      this.container.classList.add("pp-atlas--outlines");
      this.map.attributionControl.addAttribution("Natural Earth");
    }
    // Panes from bottom to top: countries (overlay), Länder borders, place names, partner
    // lines, markers (Leaflet's marker pane).
    this.map.createPane("ppStates").style.zIndex = 410;
    this.map.createPane("ppLabels").style.zIndex = 450;
    this.map.createPane("ppLines").style.zIndex = 620; // above the markers: the selection stays in view
    this.map.getPane("ppLabels").style.pointerEvents = "none";
    this.labelLayer = L.layerGroup().addTo(this.map);
    this.lineLayer = L.layerGroup().addTo(this.map);
    this.clusterLayer = L.layerGroup().addTo(this.map);

    var initial = null;
    if (this.data.initial) {
      var script = document.getElementById(this.data.initial);
      if (script) {
        initial = JSON.parse(script.textContent);
      }
    }
    var view = this.viewFromHash();
    if (view) {
      this.map.setView([view.lat, view.lng], view.zoom);
    } else {
      this.map.setView([30, 10], 2);
    }
    this.loadBasemap(initial ? initial.countries : null);
    if (initial && !view && this.query && initial.clusters.bounds) {
      // A filtered view starts on what it filters for (a Land, a country, a world region).
      this.fit(initial.clusters.bounds);
      this.loadClusters(false);
    } else if (initial && !view && this.map.getZoom() === initial.clusters.zoom) {
      this.drawClusters(initial.clusters);
    } else if (!this.data.focusPlace && !this.data.selectPlace) {
      this.loadClusters(!view);
    }
    this.map.on("moveend", this.onMove, this);
    this.map.on("zoomend", this.updateStates, this);
    this.map.on("zoomend", function () {
      if (this.countryLayer) {
        var self = this;
        this.countryLayer.setStyle(function (feature) {
          return self.countryStyle(feature);
        });
      }
    }, this);
    if (this.data.focusPlace) {
      this.selectPlace(parseInt(this.data.focusPlace, 10), true);
    } else if (this.data.selectPlace) {
      // ?place= on the full atlas: the place with its lines, among all the other clusters.
      this.selectPlace(parseInt(this.data.selectPlace, 10), true, true);
    }
    this.updateStates();
    this.initLayers();
  };

  /* --- Layers of other apps (practice examples) ------------------------------------------ */

  /* The page lists the layers other apps offer (registry/sections.py) in a json_script, and a
     radio group [data-atlas-layer-switch] above the map chooses between the partnerships and
     one of them. A layer is GeoJSON of points whose properties carry title, url, place, date and
     kind; points at one municipality share a marker, whose popup links to each item. The list
     beside the map holds the same items for keyboard and screen-reader users. */
  Atlas.prototype.initLayers = function () {
    var self = this;
    this.layers = {};
    this.activeLayer = "";
    this.layerGroup = null;
    if (!this.data.layers) {
      return;
    }
    var script = document.getElementById(this.data.layers);
    var switcher = document.querySelector("[data-atlas-layer-switch]");
    if (!script || !switcher) {
      return;
    }
    JSON.parse(script.textContent).forEach(function (layer) {
      self.layers[layer.key] = layer;
    });
    switcher.hidden = false;
    switcher.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked) {
          self.showLayer(radio.value);
        }
      });
      if (radio.checked && radio.value) {
        self.showLayer(radio.value);
      }
    });
  };

  Atlas.prototype.rememberLayer = function (key) {
    if (!window.history.replaceState || !window.URLSearchParams) {
      return;
    }
    var params = new URLSearchParams(window.location.search);
    if (key) {
      params.set("layer", key);
    } else {
      params.delete("layer");
    }
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
  };

  Atlas.prototype.showLayer = function (key) {
    var self = this;
    var layer = this.layers[key];
    this.activeLayer = layer ? key : "";
    this.rememberLayer(this.activeLayer);
    if (this.layerGroup) {
      this.map.removeLayer(this.layerGroup);
      this.layerGroup = null;
    }
    this.selection.textContent = "";
    var heading = this.container.querySelector(".pp-atlas__list h2");
    if (heading && this.listHeading === undefined) {
      this.listHeading = heading.textContent;
    }
    if (heading) {
      heading.textContent = layer ? layer.label : this.listHeading;
    }
    if (!layer) {
      // Back to the partnerships: their markers, names and lines, for the current view.
      [this.clusterLayer, this.labelLayer, this.lineLayer].forEach(function (group) {
        if (!self.map.hasLayer(group)) {
          group.addTo(self.map);
        }
      });
      this.loadClusters(false);
      return;
    }
    [this.clusterLayer, this.labelLayer, this.lineLayer].forEach(function (group) {
      self.map.removeLayer(group);
    });
    if (layer.answer) {
      this.drawLayer(layer);
      return;
    }
    this.items.textContent = "";
    this.status.textContent = this.data.labelLoading;
    fetch(layer.url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        layer.answer = answer;
        if (self.activeLayer === key) {
          self.drawLayer(layer);
        }
      })
      .catch(function () {
        self.status.textContent = self.data.labelError;
      });
  };

  Atlas.prototype.drawLayer = function (layer) {
    var L = window.L;
    var self = this;
    var places = [];
    var byPlace = {};
    layer.answer.features.forEach(function (feature) {
      var coordinates = feature.geometry && feature.geometry.coordinates;
      if (!coordinates) {
        return;
      }
      var key = coordinates[1] + "/" + coordinates[0];
      if (!byPlace[key]) {
        byPlace[key] = { lat: coordinates[1], lng: coordinates[0], place: feature.properties.place, items: [] };
        places.push(byPlace[key]);
      }
      byPlace[key].items.push(feature.properties);
    });
    this.layerGroup = L.layerGroup().addTo(this.map);
    this.items.textContent = "";
    if (!places.length) {
      this.status.textContent = layer.empty;
      return;
    }
    var titles = {};
    places.forEach(function (place) {
      place.items.forEach(function (item) {
        titles[item.url] = true;
      });
    });
    this.status.textContent = format(this.data.labelLayerCount, {
      label: layer.label,
      count: number(Object.keys(titles).length),
      places: number(places.length),
    });
    places.forEach(function (place) {
      var label = place.place + ": " + place.items.map(function (item) { return item.title; }).join("; ");
      var html = element("span", "pp-layer-point__inner");
      html.appendChild(element("span", "kern-sr-only", label));
      var marker = L.marker([place.lat, place.lng], {
        icon: L.divIcon({ className: "pp-layer-point pp-layer-point--" + layer.key, html: html, iconSize: [18, 18] }),
        title: label,
        keyboard: true,
        riseOnHover: true,
      });
      marker.bindPopup(function () {
        return self.layerPopup(place);
      });
      marker.on("keypress", function (event) {
        if (event.originalEvent && event.originalEvent.key === "Enter") {
          marker.openPopup();
        }
      });
      marker.addTo(self.layerGroup);
    });
    places.forEach(function (place) {
      place.items.forEach(function (item) {
        var entry = element("li");
        var link = element("a", "kern-link", item.title);
        link.href = item.url;
        entry.appendChild(link);
        var facts = [place.place];
        if (item.date) {
          facts.push(item.date);
        }
        entry.appendChild(document.createTextNode(" – " + facts.join(", ")));
        self.items.appendChild(entry);
      });
    });
  };

  Atlas.prototype.layerPopup = function (place) {
    var box = element("div", "pp-layer-popup");
    box.appendChild(element("p", "pp-layer-popup__place", place.place));
    var list = element("ul", "pp-layer-popup__items");
    place.items.forEach(function (item) {
      var entry = element("li");
      var link = element("a", "kern-link", item.title);
      link.href = item.url;
      entry.appendChild(link);
      if (item.date || item.kind) {
        entry.appendChild(element("span", "pp-layer-popup__meta", [item.kind, item.date].filter(Boolean).join(" · ")));
      }
      list.appendChild(entry);
    });
    box.appendChild(list);
    return box;
  };

  /* --- Länder borders and place names ------------------------------------------------------ */

  Atlas.prototype.updateStates = function () {
    var self = this;
    if (this.data.tileUrl || !this.data.statesUrl || typeof window.topojson === "undefined") {
      return;
    }
    var wanted = this.map.getZoom() >= STATES_ZOOM;
    if (this.statesLayer) {
      if (wanted && !this.map.hasLayer(this.statesLayer)) {
        this.statesLayer.addTo(this.map);
      } else if (!wanted && this.map.hasLayer(this.statesLayer)) {
        this.map.removeLayer(this.statesLayer);
      }
      return;
    }
    if (!wanted || this.statesRequested) {
      return;
    }
    this.statesRequested = true;
    fetch(this.data.statesUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (topology) {
        if (!topology) {
          return;
        }
        var name = Object.keys(topology.objects)[0];
        self.statesLayer = window.L.geoJSON(window.topojson.feature(topology, topology.objects[name]), {
          pane: "ppStates",
          interactive: false,
          style: function () {
            return { color: "#4e5966", weight: 1.4, opacity: 0.9, dashArray: "6 4", fill: false, className: "pp-state-border" };
          },
        });
        self.updateStates();
      })
      .catch(function () {});
  };

  Atlas.prototype.drawLabels = function (labels) {
    var L = window.L;
    var self = this;
    this.labelLayer.clearLayers();
    (labels || []).forEach(function (label) {
      var text = element("span", "pp-label__text", label[0]);
      var icon = L.divIcon({ className: "pp-label", html: text, iconSize: null, iconAnchor: [-(label[3] || 4), 8] });
      var marker = L.marker([label[1], label[2]], { icon: icon, pane: "ppLabels", interactive: false, keyboard: false });
      marker.addTo(self.labelLayer);
      // Orientation only: the list beside the map names the places for screen readers.
      var node = marker.getElement();
      if (node) {
        node.setAttribute("aria-hidden", "true");
      }
    });
  };

  Atlas.prototype.viewFromHash = function () {
    if (!("followHash" in this.data)) {
      return null;
    }
    var match = /^#(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
    if (!match) {
      return null;
    }
    return { zoom: parseInt(match[1], 10), lat: parseFloat(match[2]), lng: parseFloat(match[3]) };
  };

  Atlas.prototype.onMove = function () {
    if ("followHash" in this.data && window.history.replaceState) {
      var centre = this.map.getCenter();
      var hash =
        "#" + this.map.getZoom() + "/" + centre.lat.toFixed(3) + "/" + centre.wrap().lng.toFixed(3);
      window.history.replaceState(null, "", window.location.pathname + window.location.search + hash);
    }
    if (!this.data.focusPlace && !this.activeLayer) {
      // A map focused on one place shows that place and its partners only; another layer
      // (practice examples) has all its points already.
      this.loadClusters(false);
    }
    this.updateStates();
  };

  /* --- Basemap and country layer ---------------------------------------------------------- */

  Atlas.prototype.loadBasemap = function (countries) {
    var self = this;
    if (countries) {
      this.setCountries(countries);
    } else if (!this.data.focusPlace) {
      fetch(this.url(this.data.countriesUrl), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer) {
            self.setCountries(answer.countries);
          }
        })
        .catch(function () {});
    }
    if (this.data.tileUrl || typeof window.topojson === "undefined") {
      return;
    }
    fetch(this.data.basemapUrl)
      .then(function (response) {
        return response.json();
      })
      .then(function (topology) {
        var outlines = window.topojson.feature(topology, topology.objects.countries);
        outlines.features = outlines.features.filter(function (feature) {
          return String(feature.id) !== ANTARCTICA;
        });
        outlines.features.forEach(unwrapAntimeridian);
        self.countryLayer = window.L.geoJSON(outlines, {
          interactive: false,
          style: function (feature) {
            return self.countryStyle(feature);
          },
        });
        self.countryLayer.addTo(self.map);
        self.countryLayer.bringToBack();
      })
      .catch(function () {});
  };

  Atlas.prototype.setCountries = function (countries) {
    var counts = {};
    var highest = 0;
    countries.forEach(function (country) {
      if (country.numeric) {
        counts[country.numeric] = country;
        highest = Math.max(highest, country.count);
      }
    });
    this.countryCounts = counts;
    this.highest = highest;
    if (this.countryLayer) {
      var self = this;
      this.countryLayer.setStyle(function (feature) {
        return self.countryStyle(feature);
      });
    }
  };

  Atlas.prototype.countryStyle = function (feature) {
    var entry = this.countryCounts[String(feature.id)];
    var colour = "#fbfbf9";
    if (String(feature.id) === "276") {
      colour = "#c9ced6"; // Germany: home of the partnerships, not a partner country
    } else if (entry && this.highest > 0) {
      // Logarithmic classes: a few countries have hundreds, most have a handful.
      var step = Math.log(entry.count + 1) / Math.log(this.highest + 1);
      colour = COLOURS[Math.min(COLOURS.length - 1, Math.floor(step * (COLOURS.length - 1)) + 1)];
    }
    // Zoomed in, one country fills the map: a lighter tint keeps the markers readable.
    var opacity = this.map.getZoom() >= 5 ? 0.35 : 1;
    return { color: "#7d8a99", weight: 0.6, fillColor: colour, fillOpacity: opacity };
  };

  /* --- Clusters ---------------------------------------------------------------------------- */

  Atlas.prototype.loadClusters = function (fitToData) {
    var self = this;
    var bounds = this.map.getBounds();
    var view = [
      "z=" + this.map.getZoom(),
      "w=" + Math.max(-540, bounds.getWest()).toFixed(4),
      "s=" + Math.max(-90, bounds.getSouth()).toFixed(4),
      "e=" + Math.min(540, bounds.getEast()).toFixed(4),
      "n=" + Math.min(90, bounds.getNorth()).toFixed(4),
    ].join("&");
    if (this.request) {
      this.request.abort();
    }
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    this.request = controller;
    this.container.setAttribute("aria-busy", "true");
    fetch(this.url(this.data.clustersUrl, view), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (layer) {
        self.container.removeAttribute("aria-busy");
        if (fitToData && layer.bounds && (self.query || self.data.focusPlace)) {
          self.fit(layer.bounds);
          return; // the move loads the clusters of the new view
        }
        self.drawClusters(layer);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        self.container.removeAttribute("aria-busy");
        self.status.textContent = self.data.labelError;
      });
  };

  Atlas.prototype.fit = function (bounds) {
    var southWest = [bounds[0], bounds[1]];
    var northEast = [bounds[2], bounds[3]];
    // Not closer than zoom 6: the outlines are drawn for the world, and a Land or a country
    // keeps its surroundings in view.
    this.map.fitBounds([southWest, northEast], { padding: [24, 24], maxZoom: 6 });
  };

  Atlas.prototype.clusterLabel = function (cluster) {
    if (cluster.id) {
      return cluster.cn ? cluster.name + " (" + cluster.cn + ")" : cluster.name;
    }
    if (cluster.name) {
      // A group is named by its largest place: "Köln und 81 weitere".
      var values = { name: cluster.name, count: number(cluster.n - 1), country: cluster.cn || "" };
      return format(cluster.cn ? this.data.labelGroupIn : this.data.labelGroup, values);
    }
    if (cluster.cn) {
      return format(this.data.labelPlacesIn, { count: number(cluster.n), country: cluster.cn });
    }
    return format(this.data.labelPlaces, { count: number(cluster.n) });
  };

  Atlas.prototype.drawClusters = function (layer) {
    var L = window.L;
    var self = this;
    if (this.activeLayer) {
      return; // an answer that arrived after the switch to another layer
    }
    this.clusterLayer.clearLayers();
    var clusters = layer.clusters;
    clusters.forEach(function (cluster) {
      var label = self.clusterLabel(cluster);
      // The server sizes the markers, and merges groups until no two of them touch.
      var size = cluster.s || (cluster.id ? 14 : Math.min(56, 26 + Math.round(Math.log(cluster.n) * 5)));
      var html = element("span", "pp-cluster__inner");
      if (!cluster.id) {
        html.appendChild(element("span", null, number(cluster.n))).setAttribute("aria-hidden", "true");
      }
      html.appendChild(element("span", "kern-sr-only", label));
      var marker = L.marker([cluster.lat, cluster.lng], {
        icon: L.divIcon({
          className: cluster.id ? "pp-place" : "pp-cluster",
          html: html,
          iconSize: [size, size],
        }),
        title: label,
        keyboard: true,
        riseOnHover: true,
      });
      var activate = function () {
        if (cluster.id) {
          self.selectPlace(cluster.id, false);
        } else {
          self.zoomTo(cluster);
        }
      };
      marker.on("click", activate);
      marker.on("keypress", function (event) {
        if (event.originalEvent && event.originalEvent.key === "Enter") {
          activate();
        }
      });
      marker.addTo(self.clusterLayer);
    });
    this.drawLabels(layer.labels);
    this.drawList(clusters);
  };

  Atlas.prototype.zoomTo = function (cluster) {
    var b = cluster.b;
    if (b && (b[2] - b[0] > 0.001 || b[3] - b[1] > 0.001)) {
      this.map.fitBounds(
        [
          [b[0], b[1]],
          [b[2], b[3]],
        ],
        { padding: [32, 32], maxZoom: Math.min(14, this.map.getZoom() + 4) }
      );
    } else {
      this.map.setView([cluster.lat, cluster.lng], Math.min(14, this.map.getZoom() + 3));
    }
  };

  Atlas.prototype.drawList = function (clusters) {
    var self = this;
    var bounds = this.map.getBounds();
    var visible = clusters.filter(function (cluster) {
      return bounds.contains([cluster.lat, cluster.lng]) || bounds.contains([cluster.lat, cluster.lng + 360]) || bounds.contains([cluster.lat, cluster.lng - 360]);
    });
    this.items.textContent = "";
    if (!visible.length) {
      this.status.textContent = this.data.labelNone;
      return;
    }
    var text = format(this.data.labelGroups, { groups: number(visible.length) });
    if (visible.length > LIST_LIMIT) {
      text += " " + format(this.data.labelMore, { shown: number(LIST_LIMIT) });
    }
    this.status.textContent = text;
    visible.slice(0, LIST_LIMIT).forEach(function (cluster) {
      var item = element("li");
      if (cluster.id) {
        var link = element("a", "kern-link", cluster.name);
        link.href = self.data.pageUrlTemplate.replace(/\/0\/$/, "/" + cluster.id + "/");
        item.appendChild(link);
        if (cluster.cn) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(element("span", "pp-muted", "(" + cluster.cn + ")"));
        }
        item.appendChild(document.createTextNode(" "));
        var show = element("button", "pp-atlas__action pp-atlas__action--show", self.data.labelShow);
        show.type = "button";
        show.setAttribute("aria-label", self.data.labelShow + ": " + cluster.name);
        show.addEventListener("click", function () {
          self.selectPlace(cluster.id, false);
        });
        item.appendChild(show);
      } else {
        item.appendChild(document.createTextNode(self.clusterLabel(cluster) + " "));
        var zoom = element("button", "pp-atlas__action pp-atlas__action--zoom", self.data.labelZoom);
        zoom.type = "button";
        zoom.setAttribute("aria-label", self.data.labelZoom + ": " + self.clusterLabel(cluster));
        zoom.addEventListener("click", function () {
          self.zoomTo(cluster);
        });
        item.appendChild(zoom);
      }
      self.items.appendChild(item);
    });
  };

  /* --- One place and its partners -------------------------------------------------------- */

  Atlas.prototype.selectPlace = function (id, fit, withClusters) {
    var self = this;
    var url = this.url(this.data.placeUrlTemplate.replace(/0\.json$/, id + ".json"));
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (place) {
        self.showPlace(place, fit);
        if (withClusters && !fit) {
          self.loadClusters(false);
        }
      })
      .catch(function () {
        self.status.textContent = self.data.labelError;
      });
  };

  Atlas.prototype.showPlace = function (place, fit) {
    var L = window.L;
    var self = this;
    this.lineLayer.clearLayers();
    var points = [];
    if (place.lat !== null && place.lng !== null) {
      points.push([place.lat, place.lng]);
      place.partners.forEach(function (partner) {
        if (partner.lat === null || partner.lng === null) {
          return;
        }
        points.push([partner.lat, partner.lng]);
        L.polyline(
          [
            [place.lat, place.lng],
            [partner.lat, partner.lng],
          ],
          { color: "#b3261e", weight: 2, opacity: 0.8, interactive: false, pane: "ppLines", className: "pp-partner-line" }
        ).addTo(self.lineLayer);
        L.circleMarker([partner.lat, partner.lng], {
          radius: 4,
          color: "#b3261e",
          weight: 1,
          fillOpacity: 0.9,
          interactive: false,
          pane: "ppLines",
          className: "pp-partner",
        }).addTo(self.lineLayer);
      });
      L.circleMarker([place.lat, place.lng], {
        radius: 9,
        color: "#b3261e",
        weight: 4,
        fillColor: "#ffffff",
        fillOpacity: 1,
        interactive: false,
        pane: "ppLines",
        className: "pp-focus",
      }).addTo(self.lineLayer);
      // The selected place carries its name on the map, above the markers around it.
      var tag = element("span", "pp-focus-label__text", place.name);
      var nameTag = L.marker([place.lat, place.lng], {
        icon: L.divIcon({ className: "pp-focus-label", html: tag, iconSize: null, iconAnchor: [-12, 12] }),
        interactive: false,
        keyboard: false,
        zIndexOffset: 1000,
      }).addTo(self.lineLayer);
      if (nameTag.getElement()) {
        nameTag.getElement().setAttribute("aria-hidden", "true");
      }
    }
    this.selection.textContent = "";
    var heading = element("h3", "kern-heading-small", format(this.data.labelPartnersOf, { name: place.name }));
    this.selection.appendChild(heading);
    var summary = element("p", "kern-body");
    var page = element("a", "kern-link", format(this.data.labelPage, { name: place.name }));
    page.href = place.url;
    summary.appendChild(page);
    summary.appendChild(document.createTextNode(" · " + format(place.partners.length === 1 ? this.data.labelPartnership : this.data.labelPartnerships, { count: number(place.partners.length) })));
    this.selection.appendChild(summary);
    var list = element("ul", "pp-atlas__partners");
    place.partners.forEach(function (partner) {
      var item = element("li");
      var link = element("a", "kern-link", partner.name);
      link.href = partner.url;
      item.appendChild(link);
      var facts = [partner.country, partner.type, partner.status];
      if (partner.start) {
        facts.push(String(partner.start));
      }
      item.appendChild(document.createTextNode(" – " + facts.join(", ")));
      list.appendChild(item);
    });
    this.selection.appendChild(list);
    var clear = element("button", "kern-btn kern-btn--tertiary pp-atlas__clear");
    clear.type = "button";
    clear.appendChild(element("span", "kern-label", this.data.labelClose));
    clear.addEventListener("click", function () {
      self.lineLayer.clearLayers();
      self.selection.textContent = "";
    });
    this.selection.appendChild(clear);
    if (fit && points.length) {
      if (points.length === 1) {
        this.map.setView(points[0], 8);
      } else {
        this.map.fitBounds(points, { padding: [24, 24], maxZoom: 8 });
      }
    }
  };

  function start() {
    if (typeof window.L === "undefined") {
      return;
    }
    document.querySelectorAll("[data-atlas]").forEach(function (container) {
      container.atlas = new Atlas(container);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
