// The host side of an embedded Async Lanes iframe: size each iframe to the height its page
// reports. Messages from anything but one of this page's iframes, or of another shape, are ignored.
window.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'async-lanes:resize' || !Number.isFinite(data.height)) return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(data.height)}px`;
  }
});
