/**
 * The file with one benchmark's section replaced (or added at the end): whatever else the file holds, hand-written
 * notes between the sections included, stays as it is.
 */
export function withSection(file: string, name: string, body: string): string {
  const block = `<!-- bench:${name} -->\n${body}<!-- /bench:${name} -->\n`;
  const re = new RegExp(`<!-- bench:${name} -->\\n[\\s\\S]*?<!-- /bench:${name} -->\\n`);
  if (re.test(file)) return file.replace(re, () => block);
  return `${file.replace(/\n*$/, '\n')}\n${block}`;
}
