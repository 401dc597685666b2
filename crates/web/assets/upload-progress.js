// Shows how far a roster file has got: while it is sent, a progress bar with the percentage
// (XMLHttpRequest's upload progress, which fetch does not give); then, while the server checks
// every row, and while the shifts are posted, what is happening; and while a large file is
// posted in the background, its page follows the posting by itself. Without this script the
// forms post as they are, the next page says the same, and "Check progress" reloads the page.
function enhanceUpload(form) {
  const status = form.querySelector('[data-upload-progress-status]');
  const bar = form.querySelector('progress');
  const text = form.querySelector('[data-upload-progress-text]');
  form.addEventListener('submit', (event) => {
    const file = form.querySelector('input[type=file]');
    if (!file || !file.files || file.files.length === 0 || !window.FormData) return;
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    status.hidden = false;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      text.textContent = `Sent ${percent}% of your file`;
    });
    xhr.upload.addEventListener('load', () => {
      bar.value = 100;
      text.textContent = 'Sent. Checking every row of the file…';
    });
    xhr.addEventListener('load', () => {
      if (xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action).pathname) {
        window.location.assign(xhr.responseURL);
      } else {
        // The file was refused: post the form as it is, so the page with the error shows.
        form.submit();
      }
    });
    xhr.addEventListener('error', () => form.submit());
    xhr.send(new FormData(form));
  });
}

function enhancePosting(form) {
  const text = form.querySelector('[data-posting-progress-text]');
  form.addEventListener('submit', () => {
    const button = form.querySelector('button[type=submit]');
    text.textContent = 'Posting the shifts. This takes a few seconds for a large file: please wait.';
    // Disabled after the submission has started, so the form still posts, once.
    window.setTimeout(() => { if (button) button.disabled = true; }, 0);
  });
}

// Every two seconds the page is read again for how far posting has got (the server's page is the
// one source of truth; no other endpoint), the bar moves, and the live region's words change
// only when they say something new. Once the shifts are posted, or posting failed, the page is
// loaded again to show the confirmation or what went wrong.
function followPosting(status) {
  const bar = status.querySelector('progress');
  const text = status.querySelector('[data-posting-status-text]');
  const hint = document.querySelector('[data-check-progress-hint]');
  if (hint) hint.textContent = 'You can leave this page: posting carries on. While you are here, this page shows how far it has got.';
  const again = (ms) => window.setTimeout(poll, ms);
  async function poll() {
    let page;
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!response.ok) { again(5000); return; }
      page = new DOMParser().parseFromString(await response.text(), 'text/html');
    } catch {
      again(5000);
      return;
    }
    const fresh = page.querySelector('[data-posting-status]');
    if (!fresh) {
      window.location.reload();
      return;
    }
    bar.max = Number(fresh.dataset.total);
    bar.value = Number(fresh.dataset.done);
    bar.textContent = `${fresh.dataset.done} of ${fresh.dataset.total}`;
    const words = fresh.querySelector('[data-posting-status-text]').textContent;
    if (words !== text.textContent) text.textContent = words;
    again(2000);
  }
  again(2000);
}

document.querySelectorAll('form[data-upload-progress]').forEach(enhanceUpload);
document.querySelectorAll('[data-posting-status]').forEach(followPosting);
document.querySelectorAll('form[data-posting-progress]').forEach(enhancePosting);
