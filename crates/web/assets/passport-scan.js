// Scanning a worker's passport QR code on HR's receive page: where the browser has a camera and
// a QR reader (BarcodeDetector), shows "Scan QR code"; a code read fills in the paste box and
// sends the form, exactly as if HR had pasted it. Anywhere else this script does nothing, and
// the page stays the paste-or-upload form it is without JavaScript.
async function canScan() {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return false;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code');
  } catch {
    return false;
  }
}

async function enhance(panel) {
  if (!(await canScan())) return;
  const form = document.querySelector('[data-passport-scan-form]');
  const box = form?.querySelector('textarea[name=token]');
  const start = panel.querySelector('[data-passport-scan-start]');
  const video = panel.querySelector('[data-passport-scan-video]');
  const status = panel.querySelector('[data-passport-scan-status]');
  if (!form || !box || !start || !video || !status) return;
  panel.hidden = false;
  const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
  start.addEventListener('click', async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      status.textContent = 'The camera could not be used. Paste the passport or upload the file instead.';
      return;
    }
    start.hidden = true;
    video.hidden = false;
    video.srcObject = stream;
    await video.play();
    status.textContent = 'Looking for a QR code…';
    const stop = () => {
      stream.getTracks().forEach((t) => t.stop());
      video.hidden = true;
    };
    const look = async () => {
      try {
        const codes = await detector.detect(video);
        const text = codes.find((c) => c.rawValue)?.rawValue;
        if (text) {
          stop();
          status.textContent = 'QR code read. Checking the passport…';
          box.value = text;
          form.requestSubmit();
          return;
        }
      } catch {
        // A frame that could not be read: try the next one.
      }
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
}

document.querySelectorAll('[data-passport-scan]').forEach((panel) => {
  enhance(panel);
});
