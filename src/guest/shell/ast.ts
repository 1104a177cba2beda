// The syntax tree of a guest shell script (what parser.ts produces and
// interpreter.ts runs). Words keep their parts unexpanded: expansion happens
// at run time, in the order bash does it.

/** ${name op arg}: the operators of parameter expansion. */
export type ParamOp =
  | ''
  | 'length' // ${#v}
  | ':-' | '-' | ':=' | '=' | ':?' | '?' | ':+' | '+'
  | '%' | '%%' | '#' | '##'
  | '/' | '//' | '/#' | '/%'
  | '^^' | '^' | ',,' | ','
  | 'substring' // ${v:offset[:length]}
  | '@'; // ${v@Q} and the other transformations (the letter is the arg)

export type WordPart =
  | { kind: 'literal'; text: string; quoted: boolean }
  | {
      kind: 'parameter';
      name: string;
      op: ParamOp;
      /** The operand (default value, pattern, offset). */
      arg?: Word;
      /** The replacement of ${v/pat/rep}, the length of ${v:off:len}. */
      arg2?: Word;
      /** ${a[sub]}: the subscript (`@`, `*`, an arithmetic index or an associative key). */
      index?: Word;
      /** ${!v} (indirection), ${!a[@]} (the keys of an array). */
      indirect?: boolean;
      quoted: boolean;
    }
  /** $(…) or `…`: parsed when it runs. */
  | { kind: 'command'; source: string; quoted: boolean }
  /** $((…)) */
  | { kind: 'arithmetic'; source: string; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  /** The file descriptor redirected (0, 1, 2…), or -1 for &> (stdout and stderr). */
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '<<' | '<<<' | '<>';
  /** The file, the fd to duplicate, the here-string, or the here-document's body. */
  target: Word;
}

/** name=value, name+=value, name[sub]=value, name=(elements…). */
export interface Assignment {
  name: string;
  append: boolean;
  value: Word;
  index?: Word;
  array?: Word[];
}

export interface SimpleCommand {
  type: 'simple';
  assignments: Assignment[];
  words: Word[];
  /** `declare a=(…)`: the elements of the word at that index of `words`. */
  wordArrays?: Record<number, Word[]>;
  redirects: Redirect[];
  line: number;
}

export interface Pipeline {
  type: 'pipeline';
  negate: boolean;
  commands: Command[];
  line: number;
}

export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface ListItem {
  command: AndOr;
  /** Ended by `&`: run in the background (here: run to completion, status 0, as a job that already ended). */
  background: boolean;
}

export interface List {
  type: 'list';
  items: ListItem[];
}

export interface Group {
  type: 'group' | 'subshell';
  body: List;
  redirects: Redirect[];
  line: number;
}

export interface If {
  type: 'if';
  clauses: { condition: List; body: List }[];
  elseBody?: List;
  redirects: Redirect[];
  line: number;
}

export interface For {
  type: 'for';
  variable: string;
  /** Omitted: iterate over "$@". */
  items?: Word[];
  body: List;
  redirects: Redirect[];
  line: number;
}

export interface ArithFor {
  type: 'arith-for';
  init: string;
  test: string;
  step: string;
  body: List;
  redirects: Redirect[];
  line: number;
}

export interface Loop {
  type: 'while' | 'until';
  condition: List;
  body: List;
  redirects: Redirect[];
  line: number;
}

export interface Case {
  type: 'case';
  subject: Word;
  branches: { patterns: Word[]; body: List; fallThrough: boolean }[];
  redirects: Redirect[];
  line: number;
}

export interface FunctionDef {
  type: 'function';
  name: string;
  body: Command;
  line: number;
}

/** A [[ … ]] expression. */
export type CondExpr =
  | { op: 'and' | 'or'; left: CondExpr; right: CondExpr }
  | { op: 'not'; operand: CondExpr }
  | { op: 'unary'; test: string; operand: Word }
  | { op: 'binary'; test: string; left: Word; right: Word }
  | { op: 'word'; operand: Word };

export interface Conditional {
  type: 'cond';
  expr: CondExpr;
  redirects: Redirect[];
  line: number;
}

export interface ArithCommand {
  type: 'arith';
  source: string;
  redirects: Redirect[];
  line: number;
}

export type Command = SimpleCommand | Pipeline | AndOr | List | Group | If | For | ArithFor | Loop | Case | FunctionDef | Conditional | ArithCommand;

/** The literal text of a word made only of literal parts (keywords, here-document delimiters). */
export function wordText(w: Word): string | undefined {
  let s = '';
  for (const p of w) {
    if (p.kind !== 'literal') return undefined;
    s += p.text;
  }
  return s;
}

/** Whether a word is one unquoted literal equal to `text` (how reserved words are recognised). */
export function isBareWord(w: Word, text: string): boolean {
  return w.length === 1 && w[0]!.kind === 'literal' && !w[0]!.quoted && w[0]!.text === text;
}
