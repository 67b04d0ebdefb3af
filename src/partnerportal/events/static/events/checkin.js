// Check-in at the door (events/organiser/check_in.html): where the browser can read QR codes
// (BarcodeDetector) and has a camera, a "Scan" button fills the code field from the badge and
// sends the form. Without either, the page is a plain form for the typed code.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  ready(function () {
    var form = document.getElementById("check-in-form");
    var scan = document.getElementById("check-in-scan");
    var camera = document.getElementById("check-in-camera");
    var video = document.getElementById("check-in-video");
    var stop = document.getElementById("check-in-stop");
    if (!form || !scan || !camera || !video) {
      return;
    }
    var input = form.querySelector("input[name=code]");
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return;
    }
    var stream = null;
    var running = false;

    function close() {
      running = false;
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
      }
      camera.hidden = true;
      scan.hidden = false;
    }

    function detectLoop(detector) {
      if (!running) {
        return;
      }
      detector.detect(video).then(function (codes) {
        if (!running) {
          return;
        }
        if (codes.length && codes[0].rawValue) {
          input.value = codes[0].rawValue;
          close();
          form.submit();
          return;
        }
        window.setTimeout(function () { detectLoop(detector); }, 150);
      }).catch(function () {
        window.setTimeout(function () { detectLoop(detector); }, 300);
      });
    }

    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) {
        return;
      }
      scan.hidden = false;
      scan.addEventListener("click", function () {
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
          .then(function (mediaStream) {
            stream = mediaStream;
            video.srcObject = mediaStream;
            camera.hidden = false;
            scan.hidden = true;
            running = true;
            return video.play();
          })
          .then(function () {
            detectLoop(new window.BarcodeDetector({ formats: ["qr_code"] }));
          })
          .catch(function () {
            close();
            input.focus();
          });
      });
      if (stop) {
        stop.addEventListener("click", function () { close(); input.focus(); });
      }
    }).catch(function () { /* no detector after all: the typed code remains */ });
  });
})();
