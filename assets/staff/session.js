// What the staff console (staff.js) and the editor (editor/common.js) share about the
// person signed in: the storage keys (the token in sessionStorage, this tab only; the
// name and language in localStorage), so signing in to one signs in the other, and
// the name as the server keeps it and sends it in X-Staff-Name. A classic script, so
// the console's script and the editor's modules both can use it (loaded before them).
'use strict';
window.spurStaffSession = Object.freeze({
  TOKEN_KEY: 'spur_staff_token',
  LANG_KEY: 'spur_staff_lang',
  WHO_KEY: 'spur_staff_name',
  // A name as the server keeps it: no control characters, at most 40 bytes of UTF-8.
  cleanName(s) {
    let out = '';
    let bytes = 0;
    for (const ch of String(s).replace(/[\u0000-\u001f\u007f]/g, '').trim()) {
      const n = new TextEncoder().encode(ch).length;
      if (bytes + n > 40) break;
      out += ch;
      bytes += n;
    }
    return out.trim();
  },
  // A header value is a byte string: "Jürgen" goes out as its UTF-8 bytes (a plain
  // "ü" would go out as one Latin-1 byte).
  headerBytes(s) {
    return String.fromCharCode(...new TextEncoder().encode(s));
  },
});
