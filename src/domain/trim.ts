// Trimming a run of given characters at either end in one pass. A RegExp like /[ \t]+$/ looks
// linear but V8 tries it at every position: a long run of blanks followed by anything else costs
// the square of its length (40,000 blanks: 4 s), and tenants choose such inputs (issue 19).

/** `s` without the characters of `chars` at its end. */
export function trimEndOf(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without the characters of `chars` at its start. */
export function trimStartOf(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start]!)) start++;
  return start === 0 ? s : s.slice(start);
}

/** `s` without the characters of `chars` at either end. */
export const trimOf = (s: string, chars: string): string => trimStartOf(trimEndOf(s, chars), chars);
