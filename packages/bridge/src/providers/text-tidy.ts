/**
 * The last step of every HTML → provider-text conversion: no trailing spaces, no single leading space
 * left by inline markup, at most one blank line in a row, nothing around the whole.
 */
export function tidyConvertedText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, '').replace(/^ (?=\S)/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
