// The linear-time regex engine (RE2's guarantee: time linear in the input for every pattern).
export { LinearRegExp } from './linear-regexp.js';
export { RegexSyntaxError, MAX_REPEAT } from './parse.js';
export { RegexBudgetError, BACKREF_STEP_BUDGET } from './vm.js';
export { MAX_PROGRAM } from './program.js';
