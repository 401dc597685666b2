// Shows how far a roster file has got: while it is sent, a progress bar with the percentage
// (XMLHttpRequest's upload progress, which fetch does not give); then, while the server checks
// every row, and while the shifts are posted, what is happening. Without this script the forms
// post as they are and the next page says the same.
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

document.querySelectorAll('form[data-upload-progress]').forEach(enhanceUpload);
document.querySelectorAll('form[data-posting-progress]').forEach(enhancePosting);
