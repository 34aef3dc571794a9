/**
 * The metric names a PromQL expression reads, for checking dashboards and rules against the metrics that exist.
 *
 * A tokenizer, not a full parser: it reads the expression left to right and keeps the identifiers that stand where a
 * vector selector stands. It skips string literals, label matchers (`{...}`, whose `__name__="x"` is kept as a name),
 * range and subquery brackets (`[5m]`, `[1h:1m]`), numbers and durations, the label lists after `by`, `without`, `on`,
 * `ignoring`, `group_left` and `group_right`, `offset` / `@` modifiers, comments, Grafana's variables (`$service`,
 * `${datasource}`, `$__rate_interval`), keywords and operators, and every function or aggregation (an identifier
 * before `(`, or an aggregation before `by`/`without`). A function that PromQL does not have is an error, so a
 * misspelt `histogram_quantle(...)` is not taken for a metric name.
 */

/** PromQL's aggregation operators (they may take `by (...)` / `without (...)` before their parentheses). */
export const AGGREGATIONS: ReadonlySet<string> = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

/** PromQL's functions (Prometheus 2.x/3.x, experimental ones included). */
export const FUNCTIONS: ReadonlySet<string> = new Set([
  'abs',
  'absent',
  'absent_over_time',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'avg_over_time',
  'ceil',
  'changes',
  'clamp',
  'clamp_max',
  'clamp_min',
  'cos',
  'cosh',
  'count_over_time',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'deg',
  'delta',
  'deriv',
  'double_exponential_smoothing',
  'exp',
  'floor',
  'histogram_avg',
  'histogram_count',
  'histogram_fraction',
  'histogram_quantile',
  'histogram_stddev',
  'histogram_stdvar',
  'histogram_sum',
  'holt_winters',
  'hour',
  'idelta',
  'increase',
  'info',
  'irate',
  'label_join',
  'label_replace',
  'last_over_time',
  'ln',
  'log10',
  'log2',
  'mad_over_time',
  'max_over_time',
  'min_over_time',
  'minute',
  'month',
  'pi',
  'predict_linear',
  'present_over_time',
  'quantile_over_time',
  'rad',
  'rate',
  'resets',
  'round',
  'scalar',
  'sgn',
  'sin',
  'sinh',
  'sort',
  'sort_by_label',
  'sort_by_label_desc',
  'sort_desc',
  'sqrt',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'tan',
  'tanh',
  'time',
  'timestamp',
  'vector',
  'year',
]);

/** Keywords that are never metric names: binary operators and modifiers. */
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'unless', 'atan2', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS: ReadonlySet<string> = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Literal numbers PromQL spells as words. */
const NUMBER_WORDS: ReadonlySet<string> = new Set(['inf', 'nan']);

export class PromqlError extends Error {
  constructor(message: string, expr: string, at: number) {
    super(`${message} at ${at} in ${JSON.stringify(expr)}`);
    this.name = 'PromqlError';
  }
}

const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;

/** Index after the string literal that starts at `i` (quote at `i`). */
function skipString(expr: string, i: number): number {
  const quote = expr[i];
  let j = i + 1;
  while (j < expr.length && expr[j] !== quote) {
    if (expr[j] === '\\' && quote !== '`') j += 1;
    j += 1;
  }
  if (j >= expr.length) throw new PromqlError('unterminated string', expr, i);
  return j + 1;
}

/** Index after the bracket that closes the one at `i` (strings inside skipped). */
function skipBalanced(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < expr.length) {
    const c = expr[j];
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(expr, j);
      continue;
    }
    if (c === open) depth += 1;
    else if (c === close) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
    j += 1;
  }
  throw new PromqlError(`unclosed '${open}'`, expr, i);
}

/** Index after a Grafana variable (`$name`, `${name}`, `${name:format}`, `[[name]]` is not handled: not used here). */
function skipVariable(expr: string, i: number): number {
  if (expr[i + 1] === '{') {
    const end = expr.indexOf('}', i);
    if (end < 0) throw new PromqlError('unclosed ${', expr, i);
    return end + 1;
  }
  let j = i + 1;
  while (j < expr.length && /[A-Za-z0-9_]/.test(expr[j] ?? '')) j += 1;
  if (j === i + 1) throw new PromqlError("'$' without a variable name", expr, i);
  return j;
}

function skipSpaces(expr: string, i: number): number {
  let j = i;
  while (j < expr.length) {
    if (/\s/.test(expr[j] ?? '')) j += 1;
    else if (expr[j] === '#') {
      while (j < expr.length && expr[j] !== '\n') j += 1;
    } else break;
  }
  return j;
}

/** The `__name__` matched with `=` inside a label-matcher block `{...}`, if any. */
function nameMatcher(block: string): string | undefined {
  return /(?:^|[{,\s])__name__\s*=\s*(["'`])([^"'`]+)\1/.exec(block)?.[2];
}

/** The metric names (and recording rule names) an expression selects, in order of first appearance. */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  let i = 0;
  while (i < expr.length) {
    i = skipSpaces(expr, i);
    if (i >= expr.length) break;
    const c = expr[i] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '{') {
      const end = skipBalanced(expr, i, '{', '}');
      const name = nameMatcher(expr.slice(i, end));
      if (name) add(name);
      i = end;
    } else if (c === '[') {
      i = skipBalanced(expr, i, '[', ']');
    } else if (c === '$') {
      i = skipVariable(expr, i);
    } else if (/[0-9.]/.test(c)) {
      // numbers (1, 0.99, 1e3, 0x1f) and durations (5m, 1h30m): digits, letters and dots
      while (i < expr.length && /[0-9A-Za-z_.]/.test(expr[i] ?? '')) i += 1;
      if (expr[i] === '+' || expr[i] === '-') {
        // the sign of an exponent (1e-3)
        if (/e$/i.test(expr.slice(0, i)) && /[0-9]/.test(expr[i + 1] ?? '')) {
          i += 1;
          while (i < expr.length && /[0-9]/.test(expr[i] ?? '')) i += 1;
        }
      }
    } else if (c === '@') {
      i += 1; // `@ <timestamp>` or `@ start()` / `@ end()`: the timestamp is a number, start/end are functions
      const after = skipSpaces(expr, i);
      const word = /^(start|end)\s*\(\s*\)/.exec(expr.slice(after));
      if (word) i = after + word[0].length;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < expr.length && IDENT_PART.test(expr[j] ?? '')) j += 1;
      const word = expr.slice(i, j);
      const lower = word.toLowerCase();
      const next = skipSpaces(expr, j);
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        // by (a, b) / group_left (c) / group_left without a list
        i = expr[next] === '(' ? skipBalanced(expr, next, '(', ')') : j;
      } else if (KEYWORDS.has(lower) || NUMBER_WORDS.has(lower)) {
        i = j;
      } else if (AGGREGATIONS.has(word) && (expr[next] === '(' || /^(by|without)\b/i.test(expr.slice(next)))) {
        i = j;
      } else if (expr[next] === '(') {
        if (!FUNCTIONS.has(word)) throw new PromqlError(`unknown function '${word}'`, expr, i);
        i = j;
      } else {
        add(word);
        i = j;
      }
    } else if (/[()+\-*/%^=!<>,]/.test(c)) {
      i += 1;
    } else {
      throw new PromqlError(`unexpected '${c}'`, expr, i);
    }
  }
  return names;
}

/**
 * The metric names a Grafana Prometheus variable query reads: `label_values(<selector>, label)`, `label_values(label)`
 * (none), `label_names()`, `metrics(regex)` (none), `query_result(<expr>)`, or a plain expression.
 */
export function variableQueryMetricNames(query: string): string[] {
  const text = query.trim();
  const labelValues = /^label_values\s*\(([\s\S]*)\)$/.exec(text);
  if (labelValues) {
    const args = labelValues[1] ?? '';
    // the last top-level comma separates the selector from the label name
    let depth = 0;
    let split = -1;
    for (let k = 0; k < args.length; k += 1) {
      const ch = args[k];
      if (ch === '"' || ch === "'" || ch === '`') {
        k = skipString(args, k) - 1;
        continue;
      }
      if (ch === '{' || ch === '(' || ch === '[') depth += 1;
      else if (ch === '}' || ch === ')' || ch === ']') depth -= 1;
      else if (ch === ',' && depth === 0) split = k;
    }
    return split < 0 ? [] : metricNames(args.slice(0, split));
  }
  if (/^label_names\s*\(\s*\)$/.test(text) || /^metrics\s*\(/.test(text)) return [];
  const queryResult = /^query_result\s*\(([\s\S]*)\)$/.exec(text);
  if (queryResult) return metricNames(queryResult[1] ?? '');
  return metricNames(text);
}
