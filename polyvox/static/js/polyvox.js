// Tell the server the browser's time zone so deadlines are shown in local time (UTC without it).
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("polyvox_tz=") === -1) {
      document.cookie = "polyvox_tz=" + encodeURIComponent(zone) + "; path=/; SameSite=Lax";
    }
  } catch (e) { /* old browsers: UTC is shown, which is correct, just less convenient */ }
})();
