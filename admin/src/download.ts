/** Saves text (or a Blob) as a file in the browser's downloads, through an object URL. */
export function download(fileName: string, text: string | Blob, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(typeof text === 'string' ? new Blob([text], { type }) : text);
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
