// Enhances the server-rendered pages: the design system's components (menus, error summary
// focus, file upload, password reveal). Every page works without it.
import { initAll } from '{{asset:nhsuk-frontend.js}}';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();
